"""The one upsert loop behind both rosters: recognize, merge, write and scope-check a chunk.

A :class:`Spec` says what differs between a worker roster and a member roster (columns,
parsing, how a row merges into a record, the record-level checks, what a new record holds);
everything else is here, once (a call's chunks in order: :mod:`.chunks`):

* a key twice in one call: the later row is rejected;
* each chunk fetches the row hashes of its keys' existing records with one light query. A
  row whose hash (``cells.row_hash``) equals the record's ``row_hash`` is the same row sent
  again: it is *unchanged* and costs no write at all — not even ``last_seen`` (see
  ``members.models.rosters``). The other rows' records are fetched whole; the rows are
  merged into them (an empty cell never erases) and compared field by field: equal →
  unchanged, no write;
* a chunk is *planned* without the database (:func:`plan_chunk`: merged, checked, new
  records staged for ``COPY``, changes grouped) and then written (:func:`write_chunk`): new
  records with ``bulk.stage_rows`` (``COPY`` on PostgreSQL), changed ones with
  ``bulk.update_rows`` — only the changed columns, plus the row hash;
* scope: an existing record the actor cannot see is not touched; every written record must
  be visible to the actor afterwards (one scoped query per chunk; the chunk is rolled back to
  a savepoint and redone without the offending rows);
* one :class:`~core.models.JobRun` per call carries the progress and the report, and one audit
  event per chunk names the ids created and updated (no personal data).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import JobRun
from organizations import scoping

from .bulk import StagedInsert, stage_rows, update_rows
from .report import RowError, SystemActor

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

    #: Whether a chunk may be prepared while the one before is written (:mod:`.pipeline`):
    #: only if no chunk's look-ups depend on what an earlier chunk writes.
    pipelined: bool = False

    @functools.cached_property
    def planning(self) -> threading.RLock:
        """Held while a chunk's plan is made: :meth:`prepare` keeps chunk-wide look-ups on
        the spec, which a second try on the pipeline's writer must not change under the
        plan of the next chunk."""
        return threading.RLock()

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
    PostgreSQL the keys go as one sorted array parameter, unnested into a semi-join: one
    index probe per key in index order. (``= ANY(%s)`` with 10,000 keys made a bitmap scan
    that took 2.5 times as long — most of an unchanged re-import's database time.)"""
    if not keys:
        return {}
    queryset = model._default_manager.filter(**where)
    if connection.vendor == "postgresql":
        column = connection.ops.quote_name(model._meta.get_field(key).column)
        queryset = queryset.extra(
            where=[f"{column} IN (SELECT unnest(%s::text[]))"], params=[sorted(keys)]
        )
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


@dataclass
class ChunkPlan:
    """What a chunk will write, worked out without the database: the rows' outcome so far
    (errors, warnings, unchanged rows, the updates' actions), the new records staged for
    ``COPY`` and the changed ones grouped by columns. :func:`write_chunk` applies it."""

    result: ChunkResult
    creates: list[Parsed] = field(default_factory=list)
    staged: StagedInsert | None = None
    #: sorted column names → the records (``model(pk=…, **values)``) that change them.
    changes: dict[tuple[str, ...], list[models.Model]] = field(default_factory=dict)


def plan_chunk(
    spec: Spec,
    parsed: list[Parsed],
    *,
    now: dt.datetime,
    existing: dict[str, dict[str, Any]],
    seen_ids: set[int],
) -> ChunkPlan:
    """Recognize, merge and check each row; stage the new records and group the changes."""
    plan = ChunkPlan(ChunkResult())
    result = plan.result
    if not parsed:
        return plan
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
    if creates:
        rows = [spec.new_row(item, merged, now) for item, merged in creates]
        plan.creates = [item for item, _merged in creates]
        plan.staged = stage_rows(spec.model, rows, key=spec.key_field, where=spec.key_scope())
    plan.changes = _plan_changes(spec, changes, existing, result, now)
    return plan


def write_chunk(
    spec: Spec,
    parsed: list[Parsed],
    *,
    actor: Any,
    now: dt.datetime,
    existing: dict[str, dict[str, Any]],
    seen_ids: set[int],
    retry: bool = True,
    plan: ChunkPlan | None = None,
) -> ChunkResult:
    """Write a chunk: its ``plan`` (made here unless given), then a second try for the rows
    a concurrent import created first (see the module docstring)."""
    if plan is None:
        plan = plan_chunk(spec, parsed, now=now, existing=existing, seen_ids=seen_ids)
    result = plan.result
    lost = _create(plan)
    for names, group in plan.changes.items():
        update_rows(spec.model, group, [spec.model._meta.get_field(n).name for n in names])
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
    with spec.planning:
        again = write_chunk(
            spec, lost, actor=actor, now=now, existing=existing, seen_ids=seen_ids, retry=False
        )
    for name in ("errors", "warnings", "actions", "seen", "created", "updated"):
        getattr(result, name).extend(getattr(again, name))
    result.written.update(again.written)


def _create(plan: ChunkPlan) -> list[Parsed]:
    """Insert the staged records; return the rows a concurrent import created first."""
    lost: list[Parsed] = []
    if plan.staged is None:
        return lost
    result = plan.result
    pks = plan.staged.execute()
    for item in plan.creates:
        pk = pks.get(item.key)
        if pk is None:  # a concurrent import created it between our look-up and our insert
            lost.append(item)
            continue
        result.actions.append((item.row, item.key, "created"))
        result.written[item.row] = pk
        result.seen.append(pk)
        result.created.append(pk)
    return lost


def _plan_changes(
    spec: Spec, changes, existing, result: ChunkResult, now: dt.datetime
) -> dict[tuple[str, ...], list[models.Model]]:
    """The changed records, one group per set of columns (most rows of a roster change the
    same few columns: one statement each)."""
    model = spec.model
    groups: dict[tuple[str, ...], list[models.Model]] = {}
    for item, merged, diff in changes:
        pk = existing[item.key]["pk"]
        written = set()
        for name in diff:
            written.update(spec.writes.get(name, (name,)))
        values = {name: merged.get(name) for name in written}
        values.update(spec.touched(now), row_hash=item.hash)
        if diff & spec.match_fields:
            values["identity_changed_at"] = now
        groups.setdefault(tuple(sorted(values)), []).append(model(pk=pk, **values))
        result.actions.append((item.row, item.key, "updated"))
        result.written[item.row] = pk
        result.seen.append(pk)
        result.updated.append(pk)
    return groups


def write_in_scope(
    spec: Spec,
    parsed: list[Parsed],
    *,
    actor: Any,
    now: dt.datetime,
    existing: dict[str, dict[str, Any]],
    seen_ids: set[int],
    plan: ChunkPlan | None = None,
) -> ChunkResult:
    """Write a chunk (by its ``plan`` when given); if some written records fall outside the
    actor's scope, roll the chunk back and write it again without them (their visibility
    depends only on their own values, so the second pass needs no further check)."""
    savepoint = transaction.savepoint()
    context = {"actor": actor, "now": now, "existing": existing, "seen_ids": seen_ids}
    result = write_chunk(spec, parsed, plan=plan, **context)
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
    with spec.planning:
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
