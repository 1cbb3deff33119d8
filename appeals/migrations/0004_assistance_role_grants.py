from django.db import migrations

from appeals.roles_assistance import ROLE_GRANTS_ASSISTANCE
from organizations.roles import apply_role_grants


def forwards(apps, schema_editor):
    apply_role_grants(apps, ROLE_GRANTS_ASSISTANCE)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0003_assistance"),
        ("organizations", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
