"""The open tasks' places as a PostgreSQL ``point`` in a GiST index: "tasks near me" reads it
as a nearest-neighbour scan (grid.selectors._near_knn). Other databases keep the h3 cell
index alone, so the index is created on PostgreSQL only (``point`` and GiST are core
PostgreSQL, no extension)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS grid_task_open_place ON grid_task "
    "USING gist (point(lng, lat)) WHERE status = 'open'"
)
DROP = "DROP INDEX IF EXISTS grid_task_open_place"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("grid", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
