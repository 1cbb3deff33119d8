"""Read the tables that may hold a resident ID or a phone, raw, through the connection cursor.

The tables: every model with a :class:`core.pii.ProtectedField` (found, not listed), and the
tables that may hold copies of what a request carried: appeals and their events, job runs
(parameters, result, error: the job reports), idempotency records (stored answers), sessions
(their data decoded as well, since Django stores it signed and compressed), audit events (their
changes) and PII access logs.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection

from core import pii
from core.models import AuditEvent, IdempotencyRecord, JobRun, PIIAccessLog
from core.sessions import SessionStore

#: The models that may hold a copy of a protected value outside its protected column.
COPY_MODELS = (AuditEvent, JobRun, IdempotencyRecord, Session, PIIAccessLog)


def protected_models() -> list:
    return [model for model in apps.get_models() if pii.protected_fields(model)]


def tables_to_read() -> list[str]:
    extra = [apps.get_model("appeals", "AppealEvent")]
    seen, tables = set(), []
    for model in [*protected_models(), *COPY_MODELS, *extra]:
        if model._meta.db_table not in seen:
            seen.add(model._meta.db_table)
            tables.append(model._meta.db_table)
    return tables


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("latin-1")
    return str(value)


def read_raw(tables: list[str] | None = None) -> dict[str, str]:
    """Every column of every row of ``tables`` as one text per table (plus the decoded session
    data under ``"<session table> (decoded)"``)."""
    tables = tables or tables_to_read()
    texts: dict[str, str] = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            texts[table] = "\n".join(" ".join(_cell(v) for v in row) for row in cursor.fetchall())
        session_table = Session._meta.db_table
        if session_table in tables:
            cursor.execute(f"SELECT session_data FROM {connection.ops.quote_name(session_table)}")
            store = SessionStore()
            texts[f"{session_table} (decoded)"] = "\n".join(
                repr(store.decode(data)) for (data,) in cursor.fetchall()
            )
    return texts


def leaks(texts: dict[str, str], values: list[str]) -> list[str]:
    """``table: value`` for every plaintext value found in a table."""
    return [
        f"{table}: {value}"
        for table, text in texts.items()
        for value in values
        if value and value in text
    ]
