"""Writing snapshot rows: a day's rows replaced in one transaction, by COPY on PostgreSQL and
multi-row INSERTs elsewhere."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from ..models import COUNT_FIELDS, CoverageSnapshot
from .leaves import Key


def _rows(days: list[dt.date], keys: list[Key], values: np.ndarray):
    """Snapshot rows as tuples of ``INSERT_COLUMNS`` (rows × days × counts in ``values``);
    (region, industry) pairs with nothing to count are skipped."""
    adapt_day = connection.ops.adapt_datefield_value
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for offset, day in enumerate(days):
        column = values[:, offset, :]
        nonzero = np.flatnonzero(column.any(axis=1))
        day_value = adapt_day(day)
        for j, counts in zip(nonzero.tolist(), column[nonzero].tolist(), strict=True):
            region_id, industry_id = keys[j]
            yield (day_value, region_id, industry_id, *counts, now)


INSERT_COLUMNS = ("day", "region_id", "industry_id", *COUNT_FIELDS, "computed_at")
INSERT_BATCH = 5000


def _insert(cursor, rows: list[tuple]) -> None:
    """Plain multi-row INSERTs: snapshot rows carry no model logic, and building model objects
    for hundreds of thousands of rows would cost more than the rollup itself."""
    qn = connection.ops.quote_name
    table = qn(CoverageSnapshot._meta.db_table)
    columns = ", ".join(qn(c) for c in INSERT_COLUMNS)
    if connection.vendor == "postgresql":
        # COPY: the fastest way into PostgreSQL; every value is a date, a number or empty.
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
            buffer.write("\n")
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        return
    marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _replace(days: list[dt.date], rows: Iterable[tuple]) -> int:
    """Replace the rows of ``days`` with ``rows`` in one transaction."""
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        CoverageSnapshot.objects.filter(day__in=days).delete()
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= INSERT_BATCH:
                _insert(cursor, batch)
                written += len(batch)
                batch = []
        if batch:
            _insert(cursor, batch)
            written += len(batch)
    return written
