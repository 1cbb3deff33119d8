from django.db import migrations

from organizations.roles import apply_role_grants
from training.roles import ROLE_GRANTS


def forwards(apps, schema_editor):
    apply_role_grants(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("organizations", "0002_role_groups"),
        ("members", "0002_role_grants"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
