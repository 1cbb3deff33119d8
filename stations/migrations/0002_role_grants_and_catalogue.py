from django.db import migrations

from organizations.roles import apply_role_grants
from stations.catalogue import load_catalogue
from stations.roles import ROLE_GRANTS


def forwards(apps, schema_editor):
    apply_role_grants(apps, ROLE_GRANTS)
    load_catalogue(apps.get_model("stations", "Facility"))


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0001_initial"),
        ("organizations", "0002_role_groups"),
        ("members", "0002_role_grants"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
