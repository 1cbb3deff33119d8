"""The role groups and the model permissions each holds.

Groups give *what kind of action* a user may take; scope grants give *on which records*. Later
apps add their models' permissions to these groups in their own data migrations through
:func:`grant_permissions`.
"""

DEPARTMENT_STAFF = "组织部工作人员"
INDUSTRY_SECRETARY = "行业党委书记"
DISTRICT_OFFICER = "区街道工作人员"
PARTNER_SYSTEM = "合作方系统"

ALL = ("view", "add", "change", "delete")
VIEW = ("view",)


def grant_permissions(apps, group_name: str, app_label: str, models_actions: dict) -> None:
    """Add ``{model_name: actions}`` permissions of ``app_label`` to the group (in migrations)."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    # Permissions are normally created after migrate; create them now so the group gets them.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    codenames = [f"{a}_{m}" for m, actions in models_actions.items() for a in actions]
    perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(*perms)
