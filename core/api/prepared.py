"""Statements PostgreSQL plans once per connection: ``PREPARE`` then ``EXECUTE``.

A list page's query runs in a tenth of a millisecond and takes PostgreSQL two or three times as
long to plan (joins, a subquery). For SQL that is the same request after request — a page's
shape, ``core.api.compiled`` — the statement is prepared once on each database connection and
executed with the request's parameters after that, so PostgreSQL plans it once per
connection (a custom plan the first five times, then its cached generic plan).

Used only where it cannot get in the way: on PostgreSQL, with persistent connections
(``CONN_MAX_AGE``), outside a transaction (a failed statement would abort it) and when
``API_PREPARED_STATEMENTS`` is on (turn it off behind a pooler that shares server sessions
between clients, such as PgBouncer in transaction mode). A statement the server no longer
knows (a pooler, ``DISCARD ALL``) is prepared again once; a statement that cannot be prepared
runs as plain SQL from then on. A session holds at most :data:`MAX_PER_SESSION` statements.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading

from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)

#: Statements kept on one server session at most: past that (a session that has seen many
#: scopes' shapes) they are all deallocated and prepared again as requests come.
MAX_PER_SESSION = 256

_names = itertools.count(1)
_lock = threading.Lock()
_placeholder = re.compile(r"%%|%s")


class Statement:
    """One SQL text with ``%s`` parameters, preparable on PostgreSQL connections."""

    def __init__(self, sql: str) -> None:
        self.sql = sql
        with _lock:
            self.name = f"portal_stmt_{next(_names)}"
        numbers = itertools.count(1)
        self.server_sql = _placeholder.sub(
            lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql
        )
        self.usable = True

    def fetchall(self, connection, params: list) -> list[tuple]:
        """The rows of this statement with ``params`` on ``connection`` (a Django one)."""
        if not (self.usable and _preparable(connection)):
            return _plain(connection, self.sql, params)
        for _attempt in range(3):
            prepared = _prepared_on(connection)
            try:
                with connection.cursor() as cursor:
                    if self.name not in prepared:
                        if len(prepared) >= MAX_PER_SESSION:  # bounded on the server too
                            cursor.execute("DEALLOCATE ALL")
                            prepared.clear()
                        cursor.execute(f"PREPARE {self.name} AS {self.server_sql}")
                        prepared.add(self.name)
                    if params:
                        arguments = ", ".join(["%s"] * len(params))
                        cursor.execute(f"EXECUTE {self.name} ({arguments})", params)
                    else:
                        cursor.execute(f"EXECUTE {self.name}")
                    return cursor.fetchall()
            except DatabaseError as exc:
                code = getattr(exc.__cause__, "pgcode", None)
                if code == _UNKNOWN_STATEMENT:  # the session lost it: prepare it again
                    prepared.clear()
                    continue
                if code == _ALREADY_PREPARED:  # the session has it already: execute it
                    prepared.add(self.name)
                    continue
                logger.warning("statement %s not prepared, run plainly: %s", self.name, exc)
                break
        self.usable = False
        return _plain(connection, self.sql, params)


_UNKNOWN_STATEMENT = "26000"  # invalid_sql_statement_name
_ALREADY_PREPARED = "42P05"  # duplicate_prepared_statement


def _preparable(connection) -> bool:
    return (
        connection.vendor == "postgresql"
        and getattr(settings, "API_PREPARED_STATEMENTS", True)
        and persistent(connection.settings_dict)
        and not connection.in_atomic_block
        and connection.get_autocommit()
    )


def persistent(settings_dict: dict) -> bool:
    """Whether a database's connections outlive a request: ``CONN_MAX_AGE`` above 0, or
    ``None`` (kept for good); 0, Django's default, closes them after each request."""
    return settings_dict.get("CONN_MAX_AGE", 0) != 0


def _prepared_on(connection) -> set[str]:
    """The statements prepared on ``connection``'s current server session (a new session,
    after a reconnection, has none)."""
    connection.ensure_connection()
    raw = connection.connection
    known = getattr(connection, "_portal_prepared", None)
    if known is None or known[0] is not raw:
        known = connection._portal_prepared = (raw, set())
    return known[1]


def _plain(connection, sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
