"""A file import's chunks written while the next one is prepared.

Preparing a chunk (reading, hashing, checking, encrypting, building the ``COPY`` text) is
Python; writing it (``COPY``, the set-based ``INSERT``, index updates, the constraint checks at
commit) is the database. One after the other, each waits for the other; with :class:`Writer`
the chunk's write runs on a second thread — with its own database connection, which the
driver lets work while the first thread holds the interpreter — and the main thread prepares
the next chunk meanwhile. At most one chunk is in flight, and results are taken in order, so
the report is the same as a sequential run's.

Only where that cannot change what is written (:func:`pipelined`):

* chunks commit on their own (``commit_chunks``) and no caller's transaction is open: the
  writer's connection sees only committed rows;
* PostgreSQL (SQLite has one writer at a time);
* a roster whose chunks do not read each other's writes (``Spec.pipelined``): the worker
  roster, whose duplicate keys are caught in memory (``first_row``). The member roster checks
  each chunk's ID numbers against the members already stored, so it stays sequential.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from django.db import connections, router


def pipelined(spec: Any) -> bool:
    connection = connections[router.db_for_write(spec.model)]
    return (
        getattr(spec, "pipelined", False)
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


class Writer:
    """Runs one chunk's write at a time on its own thread; ``take`` receives each result, in
    order, on the calling thread."""

    def __init__(self, take: Callable[[Any], None]) -> None:
        self._take = take
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="intake-writer")
        self._pending: Future | None = None

    def __enter__(self) -> Writer:
        return self

    def submit(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Wait for the chunk in flight (its error is raised here), then send this one. The
        caller's context goes along (the active language, the log's request id)."""
        self.drain()
        context = contextvars.copy_context()
        self._pending = self._executor.submit(context.run, function, *args, **kwargs)

    def drain(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._take(pending.result())

    def __exit__(self, *exc: Any) -> bool:
        try:
            if self._pending is not None:  # the caller failed: let the chunk in flight end
                wait([self._pending])
        finally:
            self._executor.submit(connections.close_all).result()
            self._executor.shutdown(wait=True)
        return False
