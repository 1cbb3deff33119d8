"""Kept as an empty step of the history.

It used to apply role grants (and catalogues) by importing the app's live code, which would
break this migration once that code changed. Role grants are now applied after every migrate
by a ``post_migrate`` receiver (``organizations.roles.apply_all_role_grants``) and catalogues
are seeded into empty tables the same way (see the app's ``apps.py``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = []
