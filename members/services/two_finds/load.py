"""Reading people as engine columns: binary ``COPY`` on PostgreSQL, ``values_list`` elsewhere.

Only blind indexes and plain columns are read; no ID or phone is decrypted here. On
PostgreSQL the numeric columns come as one binary ``COPY`` of fixed-width ``int8`` fields,
turned into numpy arrays without a Python loop per row (the first 64 bits of each blind
index are parsed by the database), and the names as a second text ``COPY`` in the same
order: a province's two million workers load in a few seconds and little memory.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone

from ... import matching

#: The numeric columns, in order (each an int8 in the binary COPY).
_NUMERIC = ("pk", "id_key", "phone_key", "birth", "gender", "region", "industry", "pending")


def _key_sql(column: str) -> str:
    return (
        f"CASE WHEN {column} = '' THEN 0::int8 "
        f"ELSE ('x' || substr({column}, 1, 16))::bit(64)::int8 END"
    )


def _select_sql(table: str, where: str) -> str:
    return (
        f"SELECT id::int8, {_key_sql('id_number_index')}, {_key_sql('phone_index')}, "
        "COALESCE(birth_date - DATE '0001-01-01' + 1, 0)::int8, "
        "(CASE gender WHEN 'male' THEN 1 WHEN 'female' THEN 2 ELSE 0 END)::int8, "
        "COALESCE(region_id, 0)::int8, COALESCE(industry_id, 0)::int8, "
        "(CASE WHEN %(since)s::timestamptz IS NULL OR identity_changed_at >= %(since)s "
        "THEN 1 ELSE 0 END)::int8 "
        f"FROM {table} WHERE {where} ORDER BY id"
    )


def _copy(sql: str, params: dict[str, Any], *, binary: bool) -> bytes:
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, params).decode()
        out = io.BytesIO()
        fmt = " WITH (FORMAT binary)" if binary else ""
        cursor.copy_expert(f"COPY ({query}) TO STDOUT{fmt}", out)
    return out.getvalue()


def _numeric_from_binary(data: bytes) -> dict[str, np.ndarray]:
    # Header: 11-byte signature, int32 flags, int32 extension length (0); trailer: int16 -1.
    header = 19
    n_fields = len(_NUMERIC)
    row = np.dtype(
        [("n", ">i2")] + [(f"f{i}", [("len", ">i4"), ("v", ">i8")]) for i in range(n_fields)]
    )
    body = data[header : len(data) - 2]
    rows = np.frombuffer(body, dtype=row)
    return {name: rows[f"f{i}"]["v"].astype(np.int64) for i, name in enumerate(_NUMERIC)}


def _names_from_text(data: bytes, n: int) -> list[str]:
    if n == 0:
        return []
    text = data.decode()
    names = text.split("\n")[:n]
    if "\\" in text:  # COPY's text format escapes backslashes (rare in a name)
        names = [
            s.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in s else s
            for s in names
        ]
    return names


def load_people(
    model,
    *,
    where: str,
    params: dict[str, Any],
    names: matching.NameTable,
    district_of: dict[int, int],
    linked: set[int] | None = None,
) -> matching.People:
    """The rows of ``model`` matching ``where`` (SQL over its own columns, with ``params``;
    ``%(since)s`` is the watermark: rows changed at or after it are *pending*)."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        numeric = _numeric_from_binary(_copy(_select_sql(table, where), params, binary=True))
        raw_names = _names_from_text(
            _copy(f"SELECT name FROM {table} WHERE {where} ORDER BY id", params, binary=False),
            len(numeric["pk"]),
        )
        return _people(numeric, raw_names, names, district_of, linked)
    return _load_portable(
        model, where=where, params=params, names=names, district_of=district_of, linked=linked
    )


def _people(numeric, raw_names, names, district_of, linked) -> matching.People:
    pk = numeric["pk"]
    region = numeric["region"]
    lookup = np.zeros(int(region.max(initial=0)) + 1, dtype=np.int64)
    for region_id, code in district_of.items():
        if region_id < len(lookup):
            lookup[region_id] = code
    return matching.People(
        pk=pk,
        id_key=numeric["id_key"].view(np.uint64),
        phone_key=numeric["phone_key"].view(np.uint64),
        name_key=names.encode(raw_names),
        birth=numeric["birth"],
        gender=numeric["gender"].astype(np.int8),
        district=lookup[region],
        industry=numeric["industry"],
        pending=numeric["pending"].astype(bool),
        linked=np.isin(pk, np.fromiter(linked or (), np.int64)),
    )


def _load_portable(model, *, where, params, names, district_of, linked) -> matching.People:
    """The same through the ORM cursor (SQLite): fine for the sizes SQLite is used at."""
    table = model._meta.db_table
    sql = (
        f"SELECT id, id_number_index, phone_index, name, birth_date, gender, region_id, "
        f"industry_id, identity_changed_at FROM {table} WHERE {where} ORDER BY id"
    )
    since = params.get("since")
    adapted = {
        k: connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
        for k, v in params.items()
    }
    with connection.cursor() as cursor:
        cursor.execute(_positional(sql), [adapted[k] for k in _param_order(sql)])
        rows = cursor.fetchall()
    from django.utils.dateparse import parse_date, parse_datetime

    def pending(changed) -> bool:
        if since is None:
            return True
        if isinstance(changed, str):
            changed = parse_datetime(changed)
        if changed is not None and timezone.is_naive(changed):
            changed = timezone.make_aware(changed, dt.UTC)
        return changed is None or changed >= since

    def ordinal(value) -> int:
        if value is None:
            return 0
        if isinstance(value, str):
            value = parse_date(value)
        return value.toordinal()

    engine_rows = [
        (
            r[0],
            r[1],
            r[2],
            r[3],
            ordinal(r[4]),
            r[5],
            r[6],
            r[7],
            pending(r[8]),
            r[0] in (linked or ()),
        )
        for r in rows
    ]
    return matching.people_from_rows(engine_rows, names, district_of=district_of)


def _param_order(sql: str) -> Sequence[str]:
    return re.findall(r"%\((\w+)\)s", sql)


def _positional(sql: str) -> str:
    return re.sub(r"%\((\w+)\)s", "%s", sql)
