from django.db import migrations

from appeals.catalogue import load_all
from appeals.roles import ROLE_GRANTS
from organizations.roles import apply_role_grants


def forwards(apps, schema_editor):
    apply_role_grants(apps, ROLE_GRANTS)
    load_all(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("organizations", "0002_role_groups"),
        ("members", "0002_role_grants"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
