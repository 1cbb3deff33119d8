"""Kept as an empty step of the history.

It used to apply role grants (and catalogues) by importing the app's live code, which would
break this migration once that code changed. Role grants are now applied after every migrate
by a ``post_migrate`` receiver (``organizations.roles.apply_all_role_grants``) and catalogues
are seeded into empty tables the same way (see the app's ``apps.py``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("organizations", "0002_role_groups"),
    ]
    operations = []
