"""The one upsert loop behind both rosters: chunk, parse, recognize, merge, write, scope-check.

A :class:`Spec` says what differs between a worker roster and a member roster (columns,
parsing, how a row merges into a record, the record-level checks, what a new record holds);
everything else is here, once:

* rows are read in chunks of :data:`CHUNK_SIZE` (from a list or a stream of any length);
* a key twice in one call: the later row is rejected;
* each chunk fetches the row hashes of its keys' existing records with one light query. A
  row whose hash (``cells.row_hash``) equals the record's ``row_hash`` is the same row sent
  again: it is *unchanged* and costs no write at all — not even ``last_seen`` (see
  ``members.models.rosters``). The other rows' records are fetched whole; the rows are
  merged into them (an empty cell never erases) and compared field by field: equal →
  unchanged, no write;
* new records are inserted with ``bulk.insert_rows`` (``COPY`` on PostgreSQL), changed ones
  updated with ``bulk.update_rows`` — only the changed columns, plus the row hash;
* scope: an existing record the actor cannot see is not touched; every written record must
  be visible to the actor afterwards (one scoped query per chunk; the chunk is rolled back to
  a savepoint and redone without the offending rows);
* one :class:`~core.models.JobRun` per call carries the progress and the report, and one audit
  event per chunk names the ids created and updated (no personal data).
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.choices import AuditAction
from core.jobs import job_progress
from core.models import JobRun
from organizations import scoping

from .bulk import insert_rows, update_rows
from .cells import row_hashes, texts_of
from .report import IntakeReport, RowError, SystemActor

CHUNK_SIZE = 10_000

LOST_RACE = gettext_lazy("Another import created this record at the same time; send it again.")


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)


def unrestricted(actor: Any) -> bool:
    return is_system(actor) or scoping.is_city_wide(actor)


def visible(model: type[models.Model], actor: Any) -> models.QuerySet:
    queryset = model._default_manager.all()
    return queryset if is_system(actor) else scoping.restrict(queryset, actor)


@dataclass
class Parsed:
    """A row that passed the checks of its own cells: ``values`` holds only the given cells
    (by attname; ``id_number`` comes with its derived ``birth_date`` and ``gender``)."""

    row: int
    key: str
    values: dict[str, Any]
    warnings: list[tuple[str, str]]
    hash: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChunkResult:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    actions: list[tuple[int, str, str]] = field(default_factory=list)
    #: row number → pk of each created or changed record (for the scope check).
    written: dict[int, int] = field(default_factory=dict)
    seen: list[int] = field(default_factory=list)  # pks of every record the chunk named
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)


class Spec:
    """What one kind of roster needs; see :mod:`.workers` and :mod:`.members`."""

    model: type[models.Model]
    key_field: str
    key_column: str
    #: attnames compared to decide "changed" (protected values by their blind index).
    compared: tuple[str, ...]
    #: attnames whose change makes the person due for matching again.
    match_fields: frozenset[str]
    #: compared attname → columns written when it changes (default: itself).
    writes: Mapping[str, tuple[str, ...]] = {}
    audit_verb: str
    job_kind: str

    def parse(
        self, chunk: list[tuple[int, Mapping[str, Any]]]
    ) -> tuple[list[Parsed], list[RowError]]:
        raise NotImplementedError

    #: attnames :meth:`refuse` reads besides ``pk``.
    refuse_fields: tuple[str, ...] = ()

    def existing(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        raise NotImplementedError

    def existing_hashes(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The existing records of these keys with only what recognizing an unchanged row
        needs (``pk``, ``row_hash`` and :attr:`refuse_fields`): most rows of a roster sent
        again stop here, so the full record is fetched only for the others."""
        return existing_by_key(
            self.model,
            self.key_field,
            keys,
            ("pk", self.key_field, "row_hash", *self.refuse_fields),
            **self.key_scope(),
        )

    def refuse(self, current: dict[str, Any], seen_ids: set[int]) -> tuple[str, str] | None:
        """Why an existing record may not be changed by this actor, as (column, message)."""
        return None

    def new_needs(self, item: Parsed) -> tuple[str, str] | None:
        return None

    def merge(self, current: dict[str, Any] | None, item: Parsed) -> dict[str, Any]:
        raise NotImplementedError

    def check(self, merged: dict[str, Any]) -> list[tuple[str, str]]:
        return []

    def new_row(self, item: Parsed, merged: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
        """The columns of a new record (``merged`` is not used afterwards: it may be reused)."""
        raise NotImplementedError

    def touched(self, now: dt.datetime) -> dict[str, Any]:
        """Columns set on every written (created or changed) record."""
        return {"updated_at": now}

    def scope_field(self, item: Parsed) -> str:
        return self.key_column

    def key_scope(self) -> dict[str, Any]:
        """What narrows the key to this roster (``{"source": …}`` for workers)."""
        return {}

    def prepare(self, parsed: list[Parsed]) -> None:
        """Chunk-wide look-ups before the loop (e.g. who already holds an ID number)."""

    def after(self, seen: list[int], now: dt.datetime, job: JobRun | None) -> None:
        """Once per call, after every chunk (e.g. the roster's sightings)."""


def existing_by_key(
    model: type[models.Model], key: str, keys: list[str], names: tuple[str, ...], **where: Any
) -> dict[str, dict[str, Any]]:
    """The existing records of these keys as dicts of ``names`` (attnames), by key. On
    PostgreSQL the keys go as one array parameter (``= ANY``) rather than 10,000 placeholders."""
    if not keys:
        return {}
    queryset = model._default_manager.filter(**where)
    if connection.vendor == "postgresql":
        column = connection.ops.quote_name(model._meta.get_field(key).column)
        queryset = queryset.extra(where=[f"{column} = ANY(%s)"], params=[list(keys)])
    else:
        queryset = queryset.filter(**{f"{key}__in": keys})
    at = names.index(key)
    return {t[at]: dict(zip(names, t, strict=True)) for t in queryset.values_list(*names)}


def visible_ids(spec: Spec, existing: dict[str, dict[str, Any]], actor: Any) -> set[int]:
    """The existing records the actor may change (one scoped query)."""
    pks = [c["pk"] for c in existing.values()]
    if pks and not unrestricted(actor):
        return set(
            scoping.restrict(spec.model._default_manager.filter(pk__in=pks), actor).values_list(
                "pk", flat=True
            )
        )
    return set(pks)


def write_chunk(
    spec: Spec,
    parsed: list[Parsed],
    *,
    actor: Any,
    now: dt.datetime,
    existing: dict[str, dict[str, Any]],
    seen_ids: set[int],
    retry: bool = True,
) -> ChunkResult:
    """The merged upsert loop (see the module docstring)."""
    result = ChunkResult()
    if not parsed:
        return result
    spec.prepare(parsed)
    creates: list[tuple[Parsed, dict[str, Any]]] = []
    changes: list[tuple[Parsed, dict[str, Any], set[str]]] = []
    for item in parsed:
        current = existing.get(item.key)
        if current is not None:
            refused = spec.refuse(current, seen_ids)
            if refused:
                result.errors.append(RowError(item.row, item.key, *refused))
                continue
            if current["row_hash"] == item.hash:
                result.actions.append((item.row, item.key, "unchanged"))
                result.seen.append(current["pk"])
                continue
        elif (missing := spec.new_needs(item)) is not None:
            result.errors.append(RowError(item.row, item.key, *missing))
            continue
        merged = spec.merge(current, item)
        problems = spec.check(merged)
        if problems:
            result.errors += [RowError(item.row, item.key, c, m) for c, m in problems]
            continue
        result.warnings += [RowError(item.row, item.key, c, m) for c, m in item.warnings]
        if current is None:
            creates.append((item, merged))
            continue
        diff = {name for name in spec.compared if merged.get(name) != current.get(name)}
        if not diff:
            result.actions.append((item.row, item.key, "unchanged"))
            result.seen.append(current["pk"])
            continue
        changes.append((item, merged, diff))
    lost = _create(spec, creates, result, now)
    _change(spec, changes, existing, result, now)
    if lost and not retry:
        result.errors += [RowError(i.row, i.key, spec.key_column, str(LOST_RACE)) for i in lost]
    elif lost:
        _write_lost(spec, lost, result, actor=actor, now=now, existing=existing, seen_ids=seen_ids)
    return result


def _write_lost(
    spec: Spec,
    lost: list[Parsed],
    result: ChunkResult,
    *,
    actor: Any,
    now: dt.datetime,
    existing: dict[str, dict[str, Any]],
    seen_ids: set[int],
) -> None:
    """Rows whose insert a concurrent import won: that import's records exist now, so these
    rows are written again as changes to them (once; a second loss is reported on the row)."""
    fresh = spec.existing([item.key for item in lost])
    existing.update(fresh)
    seen_ids |= visible_ids(spec, fresh, actor)
    again = write_chunk(
        spec, lost, actor=actor, now=now, existing=existing, seen_ids=seen_ids, retry=False
    )
    for name in ("errors", "warnings", "actions", "seen", "created", "updated"):
        getattr(result, name).extend(getattr(again, name))
    result.written.update(again.written)


def _create(spec: Spec, creates, result: ChunkResult, now: dt.datetime) -> list[Parsed]:
    """Insert the new records; return the rows a concurrent import created first."""
    lost: list[Parsed] = []
    if not creates:
        return lost
    rows = [spec.new_row(item, merged, now) for item, merged in creates]
    pks = insert_rows(spec.model, rows, key=spec.key_field, where=spec.key_scope())
    for item, _merged in creates:
        pk = pks.get(item.key)
        if pk is None:  # a concurrent import created it between our look-up and our insert
            lost.append(item)
            continue
        result.actions.append((item.row, item.key, "created"))
        result.written[item.row] = pk
        result.seen.append(pk)
        result.created.append(pk)
    return lost


def _change(spec: Spec, changes, existing, result: ChunkResult, now: dt.datetime) -> None:
    if not changes:
        return
    columns: set[str] = set(spec.touched(now)) | {"row_hash"}
    objs = []
    for item, merged, diff in changes:
        pk = existing[item.key]["pk"]
        written = set()
        for name in diff:
            written.update(spec.writes.get(name, (name,)))
        values = {name: merged.get(name) for name in written}
        values.update(spec.touched(now), row_hash=item.hash)
        if diff & spec.match_fields:
            values["identity_changed_at"] = now
        columns.update(values)
        objs.append((pk, values))
        result.actions.append((item.row, item.key, "updated"))
        result.written[item.row] = pk
        result.seen.append(pk)
        result.updated.append(pk)
    # One statement per set of columns (most rows of a roster change the same few columns).
    model = spec.model
    groups: dict[tuple[str, ...], list[models.Model]] = {}
    for pk, values in objs:
        groups.setdefault(tuple(sorted(values)), []).append(model(pk=pk, **values))
    for names, group in groups.items():
        update_rows(model, group, [model._meta.get_field(n).name for n in names])


def write_in_scope(
    spec: Spec,
    parsed: list[Parsed],
    *,
    actor: Any,
    now: dt.datetime,
    existing: dict[str, dict[str, Any]],
    seen_ids: set[int],
) -> ChunkResult:
    """Write a chunk; if some written records fall outside the actor's scope, roll the chunk
    back and write it again without them (their visibility depends only on their own values,
    so the second pass needs no further check)."""
    savepoint = transaction.savepoint()
    context = {"actor": actor, "now": now, "existing": existing, "seen_ids": seen_ids}
    result = write_chunk(spec, parsed, **context)
    if unrestricted(actor) or not result.written:
        transaction.savepoint_commit(savepoint)
        return result
    seen = set(
        scoping.restrict(
            spec.model._default_manager.filter(pk__in=result.written.values()), actor
        ).values_list("pk", flat=True)
    )
    outside = {row for row, pk in result.written.items() if pk not in seen}
    if not outside:
        transaction.savepoint_commit(savepoint)
        return result
    transaction.savepoint_rollback(savepoint)
    rejected = [p for p in parsed if p.row in outside]
    result = write_chunk(spec, [p for p in parsed if p.row not in outside], **context)
    result.errors += [
        RowError(
            p.row,
            p.key,
            spec.scope_field(p),
            _(
                "This record would fall outside your scope; give an enterprise, industry or "
                "region you are responsible for."
            ),
        )
        for p in rejected
    ]
    return result


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
    (files of any size), else the caller's transaction holds everything."""
    first_row: dict[str, int] = {}
    chunk: list[tuple[int, Mapping[str, Any]]] = []
    seen: list[int] = []

    def flush() -> None:
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
        with transaction.atomic():
            fast_commit()
            result = write_in_scope(
                spec, good, actor=actor, now=now, existing=existing, seen_ids=seen_ids
            )
            result.actions += quick.actions
            result.seen += quick.seen
            report.errors += errors + result.errors
            report.warnings += result.warnings
            report.row_actions += result.actions
            seen.extend(result.seen)
            _audit_chunk(spec, actor=actor, job=job, result=result, read=len(chunk))
            job_progress(job, done=report.read)
        chunk.clear()
        if on_chunk is not None:
            on_chunk(report)

    context = transaction.atomic if not commit_chunks else _nothing
    rows = iter(numbered)
    with fewer_collections(), context():
        while True:
            chunk[:] = itertools.islice(rows, CHUNK_SIZE)
            if not chunk:
                break
            report.read += len(chunk)
            flush()
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


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


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
