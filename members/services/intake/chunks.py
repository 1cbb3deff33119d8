"""A call's chunks, in order: each one prepared (read, recognized, parsed, planned:
:func:`prepare_chunk`) and committed with its audit event and the job's progress
(:func:`commit_chunk`), one after the other or — for a file import on PostgreSQL — each
written while the next is prepared (:mod:`.pipeline`). The rows of one chunk: :mod:`.engine`.

Rows are read in chunks of :data:`CHUNK_SIZE` from a list or a stream of any length.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from core.jobs import job_progress
from core.models import JobRun

from .cells import row_hashes, texts_of
from .engine import ChunkPlan, ChunkResult, Parsed, Spec, plan_chunk, visible_ids, write_in_scope
from .pipeline import Writer, pipelined
from .report import IntakeReport, RowError

CHUNK_SIZE = 10_000


@dataclass
class PreparedChunk:
    """A chunk read, recognized, parsed and planned: what is left is to write it."""

    read: int
    good: list[Parsed]
    errors: list[RowError]
    quick: ChunkResult
    existing: dict[str, dict[str, Any]]
    seen_ids: set[int]
    plan: ChunkPlan


def prepare_chunk(
    spec: Spec,
    chunk: list[tuple[int, Mapping[str, Any]]],
    *,
    actor: Any,
    now: dt.datetime,
    first_row: dict[str, int],
) -> PreparedChunk:
    """Everything before the chunk's writes: the rows' texts and hashes, the existing records
    (one light query; whole records only for rows whose hash differs), the parse, duplicate
    keys (``first_row``: key → the row that first named it in this call) and the plan."""
    columns = spec.columns
    numbers = [n for n, _r in chunk]
    rows = [texts_of(r, columns) for _n, r in chunk]
    items = list(zip(numbers, rows, row_hashes(spec.hash_salt, rows), strict=True))
    light = spec.existing_hashes(list({t[0] for _n, t, _h in items if t[0]}))
    seen_ids = visible_ids(spec, light, actor)
    # The same row sent again: recognized by its hash before any parsing, no write.
    quick = ChunkResult()
    rest = []
    for number, texts, digest in items:
        key = texts[0]
        current = light.get(key)
        if (
            current is not None
            and current["row_hash"] == digest
            and key not in first_row
            and spec.refuse(current, seen_ids) is None
        ):
            first_row[key] = number
            quick.actions.append((number, key, "unchanged"))
            quick.seen.append(current["pk"])
        else:
            rest.append((number, texts, digest))
    existing = spec.existing([t[0] for _n, t, _h in rest if t[0] in light]) if rest else {}
    parsed, errors = spec.parse(rest)
    good: list[Parsed] = []
    for item in parsed:
        if item.key in first_row:
            errors.append(
                RowError(
                    item.row,
                    item.key,
                    spec.key_column,
                    _("Duplicate in this batch: the same %(column)s is in row %(first)d.")
                    % {"column": spec.key_column, "first": first_row[item.key]},
                )
            )
        else:
            first_row[item.key] = item.row
            good.append(item)
    with spec.planning:
        plan = plan_chunk(spec, good, now=now, existing=existing, seen_ids=seen_ids)
    return PreparedChunk(len(chunk), good, errors, quick, existing, seen_ids, plan)


def commit_chunk(
    spec: Spec, prepared: PreparedChunk, *, actor: Any, now: dt.datetime, job: JobRun, done: int
) -> tuple[ChunkResult, list[RowError]]:
    """Write a prepared chunk in its own transaction with its audit event and the job's
    progress (``done`` rows); return its result and the parse errors."""
    with transaction.atomic():
        fast_commit()
        result = write_in_scope(
            spec,
            prepared.good,
            actor=actor,
            now=now,
            existing=prepared.existing,
            seen_ids=prepared.seen_ids,
            plan=prepared.plan,
        )
        result.actions += prepared.quick.actions
        result.seen += prepared.quick.seen
        _audit_chunk(spec, actor=actor, job=job, result=result, read=prepared.read)
        job_progress(job, done=done)
    return result, prepared.errors


def run(
    spec: Spec,
    *,
    actor: Any,
    numbered: Iterable[tuple[int, Mapping[str, Any]]],
    report: IntakeReport,
    job: JobRun,
    now: dt.datetime,
    commit_chunks: bool = False,
    on_chunk: Callable[[IntakeReport], None] | None = None,
) -> None:
    """Chunk the rows and write them; with ``commit_chunks`` each chunk commits on its own
    (files of any size), else the caller's transaction holds everything. Where chunks commit
    on their own and the roster allows it (:func:`.pipeline.pipelined`), a chunk is written
    on a second connection while the next one is prepared."""
    first_row: dict[str, int] = {}
    seen: list[int] = []
    context = {"actor": actor, "now": now}

    def take(outcome: tuple[ChunkResult, list[RowError]]) -> None:
        result, errors = outcome
        report.errors += errors + result.errors
        report.warnings += result.warnings
        report.row_actions += result.actions
        seen.extend(result.seen)
        if on_chunk is not None:
            on_chunk(report)

    rows = iter(numbered)
    writer = Writer(take) if commit_chunks and pipelined(spec) else None
    outer = transaction.atomic() if not commit_chunks else nullcontext()
    with fewer_collections(), outer, writer or nullcontext():
        while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
            report.read += len(chunk)
            prepared = prepare_chunk(spec, chunk, first_row=first_row, **context)
            done = report.read
            if writer is None:
                take(commit_chunk(spec, prepared, job=job, done=done, **context))
            else:
                writer.submit(commit_chunk, spec, prepared, job=job, done=done, **context)
        if writer is not None:
            writer.drain()
        with transaction.atomic():
            spec.after(seen, now, job)
    report.errors.sort(key=lambda e: e.row)
    report.warnings.sort(key=lambda e: e.row)
    for action, count in Counter(action for _r, _k, action in report.row_actions).items():
        setattr(report, action, getattr(report, action) + count)


_gc_lock = threading.Lock()
_gc_depth = 0
_gc_threshold: tuple[int, ...] = ()


@contextmanager
def fewer_collections():
    """Python's cyclic garbage collector, less often while an intake runs. An intake makes
    millions of small lists, dicts and tuples that live as long as their chunk; at the default
    thresholds the collector scans the whole heap (Django's included) again and again — half
    the time of reading a CSV file. None of these objects forms a cycle, so nothing waits for
    collection: with gen-0 collections every 50,000 allocations instead of 700, memory is the
    same. Nested and concurrent intakes share one setting; the last one out restores it."""
    global _gc_depth, _gc_threshold
    with _gc_lock:
        if _gc_depth == 0:
            _gc_threshold = gc.get_threshold()
            gc.set_threshold(50_000, 20, 100)
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                gc.set_threshold(*_gc_threshold)


def fast_commit() -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL reaches the disk
    (``synchronous_commit = off`` for this transaction only): a crash may lose the last
    chunks of an import — which the roster simply sends again — but never corrupts anything.
    It saves a flush per chunk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _audit_chunk(spec: Spec, *, actor: Any, job: JobRun, result: ChunkResult, read: int) -> None:
    unchanged = sum(1 for _r, _k, action in result.actions if action == "unchanged")
    audit.record(
        actor=actor,
        action=AuditAction.OTHER,
        obj=job,
        changes={
            "read": [None, read],
            "created": [None, len(result.created)],
            "updated": [None, len(result.updated)],
            "unchanged": [None, unchanged],
            "created_ids": [None, sorted(result.created)],
            "updated_ids": [None, sorted(result.updated)],
        },
        verb=spec.audit_verb,
    )
