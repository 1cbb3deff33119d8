"""Writing many rows fast, for any app.

* :func:`update_rows` writes chosen fields of many objects with one ``UPDATE … FROM (VALUES …)``
  per batch (``bulk_update`` elsewhere).
* :func:`insert_columns` inserts many rows as columns: one ``INSERT … SELECT … FROM unnest(…)`` on
  PostgreSQL. ``bulk_create`` builds a model instance per row and prepares every field of every row
  in Python; set-based jobs (the two-finds run's proposals, cases, their first events and audit
  rows) write the same few varying columns on thousands of rows with everything else equal.
  Each varying column goes as one array parameter and every other column once, as the value a new
  instance gets (its default, ``auto_now_add`` = now), in one statement per table. Other databases
  take ``bulk_create`` (:func:`supported` says which path applies).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router


def supported(model: type[models.Model]) -> bool:
    """Whether :func:`insert_columns` can write ``model`` (PostgreSQL only)."""
    return connections[router.db_for_write(model)].vendor == "postgresql"


def insert_columns(
    model: type[models.Model],
    columns: dict[str, Sequence[Any]],
    *,
    returning: Sequence[str] = (),
    ignore_conflicts: bool = False,
) -> list[tuple]:
    """Insert one row per position of ``columns`` (attname → values, all of one length; every
    other field takes a new instance's value) and return the ``returning`` columns of the
    rows inserted (a row skipped for a conflict, with ``ignore_conflicts``, returns nothing).
    JSON fields take Python values. PostgreSQL only (see :func:`supported`)."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise ValueError("columns of different lengths")
    if not lengths.pop():
        return []
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    quote = connection.ops.quote_name
    template = model()
    names: list[str] = []
    select_list: list[str] = []  # one expression per column, in the columns' order
    constants: list[Any] = []  # parameters of the constant columns, in that order
    arrays: list[list[Any]] = []  # the varying columns, unnested side by side
    array_casts: list[str] = []
    for field in meta.concrete_fields:
        if field.primary_key and field.attname not in columns:
            continue
        names.append(quote(field.column))
        db_type = field.db_type(connection)
        if field.attname in columns:
            values = list(columns[field.attname])
            alias = f"v.c{len(arrays)}"
            if isinstance(field, models.JSONField):
                values = [None if v is None else json.dumps(v, cls=field.encoder) for v in values]
                array_casts.append("CAST(%s AS text[])")
                select_list.append(f"{alias}::jsonb")
            else:
                array_casts.append(f"CAST(%s AS {db_type}[])")
                select_list.append(alias)
            arrays.append(values)
            continue
        constants.append(field.get_db_prep_save(field.pre_save(template, add=True), connection))
        select_list.append(f"CAST(%s AS {db_type})")
    aliases = ", ".join(f"c{i}" for i in range(len(arrays)))
    ordered_params = constants + arrays
    unnest = ", ".join(array_casts)
    table = quote(meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"SELECT {', '.join(select_list)} FROM unnest({unnest}) AS v({aliases})"
    )
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(quote(meta.get_field(n).column) for n in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, ordered_params)
        return cursor.fetchall() if returning else []


_UPDATE_PER_STATEMENT = 5_000


def _max_query_params(connection) -> int:
    if connection.vendor == "sqlite":
        # Django assumes 999; the linked library usually allows far more (32766 since 3.32).
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535


def _can_update_from(connection) -> bool:
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33)


def update_rows(model: type[models.Model], objs: Sequence[models.Model], field_names: list[str]):
    """Write ``field_names`` of ``objs`` in one ``UPDATE … FROM (VALUES …)`` per batch.

    ``bulk_update`` builds a ``CASE WHEN`` per row and field, which costs seconds for 10,000
    rows; this writes the same values in a fraction of it. Like ``bulk_update`` it calls
    neither ``save`` nor ``pre_save``. Other databases fall back to ``bulk_update``."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if not _can_update_from(connection):
        model._default_manager.bulk_update(objs, field_names, batch_size=500)
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in field_names)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":  # VALUES params are untyped there
        cells = ", ".join(f"CAST(%s AS {c.db_type(connection)})" for c in columns)
    else:
        cells = ", ".join("%s" for _ in columns)
    assignments = ", ".join(
        f"{quote(c.column)} = v.column{i}" for i, c in enumerate(columns, start=1) if i > 1
    )
    per_statement = max(
        1, min(_UPDATE_PER_STATEMENT, _max_query_params(connection) // len(columns))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            batch = objs[start : start + per_statement]
            params = [
                c.get_db_prep_save(getattr(obj, c.attname), connection)
                for obj in batch
                for c in columns
            ]
            values = ", ".join(f"({cells})" for _ in batch)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v "
                f"WHERE {table}.{quote(meta.pk.column)} = v.column1",
                params,
            )
