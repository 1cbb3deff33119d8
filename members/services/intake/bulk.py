"""Writing many rows fast: ``COPY`` into a staging table on PostgreSQL, batched statements
elsewhere.

* :func:`insert_rows` — new records. On PostgreSQL the rows are ``COPY``-ed into a temporary
  staging table and moved with one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``:
  the database's own bulk-load path, and a concurrent import that created the same key first
  is reported instead of failing the batch. On SQLite one ``INSERT OR IGNORE`` executed for
  many rows. Values are prepared a column at a time (``_column``), not a field per row.
  :func:`stage_rows` is its Python half (values prepared, ``COPY`` text built) and
  :meth:`StagedInsert.execute` its database half.
* :func:`update_rows` — changed records (:func:`core.bulk.update_rows`, re-exported here).

Values are prepared by each field (``get_db_prep_save``), so protected values are encrypted
exactly as ``save`` would; the blind indexes are set by the caller.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from operator import methodcaller
from typing import Any

from django.db import connections, models, router

from core.bulk import update_rows
from core.pii import ProtectedField, encrypt_many

BATCH_SIZE = 2_000

__all__ = ["BATCH_SIZE", "StagedInsert", "insert_rows", "stage_rows", "update_rows"]


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


_SPECIAL_RE = re.compile(r"[\\\t\n\r]")
_NONE = type(None)


def _copy_column(values: list[Any]) -> list[str]:
    """A column in ``COPY``'s text format. The column's types are looked at once: text with
    nothing to escape passes as it is, whole numbers are formatted in one ``map``; other
    values are converted once per distinct value."""
    types = set(map(type, values))
    if types == {str}:
        if not _SPECIAL_RE.search("".join(values)):
            return values
    elif types <= {int, _NONE}:  # (bool is a type of its own here)
        if _NONE not in types:
            return list(map(str, values))
        return [str(v) if v is not None else "\\N" for v in values]
    out: list[str] = []
    memo: dict[Any, str] = {}
    for value in values:
        try:
            out.append(memo[value])
        except KeyError:
            memo[value] = text = _copy_text(value)
            out.append(text)
        except TypeError:
            out.append(_copy_text(value))
    return out


def _column(field: models.Field, values: list[Any], connection) -> list[Any]:
    """One column's values prepared for the database, like ``get_db_prep_save`` but a column
    at a time: protected values encrypted in one batch, repeated values (the same timestamp
    on every row) prepared once."""
    if isinstance(field, ProtectedField):
        return encrypt_many([v or "" for v in values])
    if isinstance(field, models.CharField | models.TextField | models.IntegerField):
        return values  # plain values, prepared as they are
    memo: dict[Any, Any] = {}
    out = []
    for value in values:
        try:
            out.append(memo[value])
        except (KeyError, TypeError):
            prepared = field.get_db_prep_save(value, connection)
            with contextlib.suppress(TypeError):  # an unhashable value is not remembered
                memo[value] = prepared
            out.append(prepared)
    return out


def _same(values: list[Any]) -> bool:
    """Whether every value of a column is the first one (and of its type)."""
    first = values[0]
    return values.count(first) == len(values) and len(set(map(type, values))) == 1


@dataclass
class StagedInsert:
    """New rows made ready to send: every value prepared (protected ones encrypted) and, on
    PostgreSQL, the ``COPY`` text built. :meth:`execute` only talks to the database, so a
    pipelined intake prepares the next chunk while the database writes this one."""

    model: type[models.Model]
    key: str
    keys: list[Any]
    where: dict[str, Any]
    statements: list[tuple[str, Any]]  # (SQL, parameters) before the COPY / the executemany
    copy: tuple[str, str] | None  # (COPY statement, data) on PostgreSQL
    insert: tuple[str, Any]  # the INSERT (parameters; or rows for executemany)

    def execute(self) -> dict[str, int]:
        """Insert; return ``{key value: new pk}`` of the rows inserted (see :func:`insert_rows`)."""
        connection = connections[router.db_for_write(self.model)]
        key_field = self.model._meta.get_field(self.key)
        with connection.cursor() as cursor:
            for sql, params in self.statements:
                cursor.execute(sql, params)
            if self.copy is None:  # SQLite: one INSERT OR IGNORE for many rows
                cursor.executemany(*self.insert)
                found = self.model._default_manager.filter(
                    **self.where, **{f"{self.key}__in": self.keys}
                )
                return dict(found.values_list(key_field.attname, "pk"))
            # One read of the whole text: the driver takes the interpreter's lock for each
            # read, which a pipelined import's other thread holds most of the time.
            data = self.copy[1]
            cursor.cursor.copy_expert(self.copy[0], io.StringIO(data), size=len(data) + 1)
            cursor.execute(*self.insert)
            return {value: pk for pk, value in cursor.fetchall()}


def insert_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    key: str,
    where: dict[str, Any] | None = None,
) -> dict[str, int]:
    """Insert ``rows`` (attname → Python value, blind indexes included; the primary key left
    out) and return ``{key value: new pk}`` of the rows inserted. A row whose key (or another
    unique value) already exists is skipped and missing from the answer. ``where`` narrows
    the key to one roster (e.g. ``{"source": …}``) where the key alone is not unique."""
    if not rows:
        return {}
    return stage_rows(model, rows, key=key, where=where).execute()


def stage_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    key: str,
    where: dict[str, Any] | None = None,
) -> StagedInsert:
    """The Python half of :func:`insert_rows` (``rows`` not empty)."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    key_field = meta.get_field(key)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    raw = [list(map(methodcaller("get", f.attname, f.get_default()), rows)) for f in fields]
    keys = [row[key_field.attname] for row in rows]
    if connection.vendor != "postgresql":
        columns = [_column(f, values, connection) for f, values in zip(fields, raw, strict=True)]
        placeholders = ", ".join("%s" for _ in fields)
        return StagedInsert(
            model, key, keys, where or {}, [], None,
            (f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({placeholders})",
             list(zip(*columns, strict=True))),
        )  # fmt: skip
    # A column with one value for every row (the roster, the time, a default) is a parameter
    # of the INSERT; only the others travel through COPY. Protected values always travel
    # (each row has its own token).
    copied, constant = [], {}
    for f, values in zip(fields, raw, strict=True):
        if f is not key_field and not isinstance(f, ProtectedField) and _same(values):
            constant[f] = f.get_db_prep_save(values[0], connection)
        else:
            copied.append((f, _column(f, values, connection)))
    stage = quote(f"intake_stage_{meta.db_table}")
    texts = [_copy_column(column) for _f, column in copied]
    data = "\n".join(map("\t".join, zip(*texts, strict=True))) + "\n"
    staged = ", ".join(quote(f.column) for f, _c in copied)
    selected = ", ".join(
        f"CAST(%s AS {f.db_type(connection)})" if f in constant else quote(f.column) for f in fields
    )
    return StagedInsert(
        model,
        key,
        keys,
        where or {},
        [
            (f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS SELECT {names} FROM {table} "
             "WITH NO DATA", None),
            (f"TRUNCATE {stage}", None),
        ],
        (f"COPY {stage} ({staged}) FROM STDIN", data),
        (
            f"INSERT INTO {table} ({names}) SELECT {selected} FROM {stage} ON CONFLICT DO "
            f"NOTHING RETURNING {quote(meta.pk.column)}, {quote(key_field.column)}",
            [constant[f] for f in fields if f in constant],
        ),
    )  # fmt: skip
