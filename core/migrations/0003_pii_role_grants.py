"""Give the role groups core's PII permissions (core.roles.ROLE_GRANTS).

Self-contained (core imports no app): the same steps as organizations.roles.grant_permissions.
"""

from django.db import migrations

from core.roles import ROLE_GRANTS


def _permissions(apps, app_label, models_actions):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    # Permissions are normally created after migrate; create them now so the group gets them.
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    codenames = [f"{a}_{m}" for m, actions in models_actions.items() for a in actions]
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )


def grant(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for group_name, app_label, models_actions in ROLE_GRANTS:
        group, _ = group_model.objects.get_or_create(name=group_name)
        group.permissions.add(*_permissions(apps, app_label, models_actions))


def revoke(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for group_name, app_label, models_actions in ROLE_GRANTS:
        for group in group_model.objects.filter(name=group_name):
            group.permissions.remove(*_permissions(apps, app_label, models_actions))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_piiaccesslog"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
