from django.db import migrations

from coverage.roles import ROLE_GRANTS
from organizations.roles import apply_role_grants


def grant(apps, schema_editor):
    apply_role_grants(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0001_initial"),
        ("organizations", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
