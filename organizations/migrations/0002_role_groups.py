from django.db import migrations

from organizations.roles import ROLE_GRANTS, ROLE_GROUPS, apply_role_grants


def create_groups(apps, schema_editor):
    apply_role_grants(apps, ROLE_GRANTS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
