"""The organization finds members (组织找党员) as a job: load columns, match, write proposals.

A run is a :class:`~core.models.JobRun` of kind ``two_finds`` split into chunks so that several
Celery workers can share it:

1. :func:`two_finds_queue` creates the job and queues the coordinator after commit.
2. :func:`two_finds_plan` (the coordinator) starts the job and cuts the workers to process into
   primary-key ranges of ``TWO_FINDS_CHUNK_SIZE`` workers; the task dispatches one chunk task
   per range (a Celery group).
3. :func:`two_finds_chunk` matches its range of workers against every member (the member index
   is loaded once per process and job) and, in one transaction, writes the new proposals, opens
   cases for the auto-accepted ones, marks its workers matched, and adds its counts to the job
   under a row lock. The chunk that completes the set runs :func:`two_finds_finish`.

Incremental: a person is *pending* when ``matched_at`` is empty or older than
``identity_changed_at``. A run matches pending workers × all members ∪ all workers × pending
members. Without pending members only the pending workers are read; with few pending members
(≤ ``TWO_FINDS_KEY_FILTER_LIMIT``) also the workers sharing a blocking key with one of them
(ID index, phone index, birth date, name pinyin); with more, every active worker.

Idempotent: each (worker, member) pair has at most one proposal (unique constraint, written with
``ignore_conflicts``), so a rerun creates nothing new, a redelivered chunk is counted once, and
a pair decided "not a match" is excluded before the decision and never proposed again.

Only blind indexes and plain columns are read (``values_list``): nothing is decrypted.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core import audit
from core.choices import AuditAction
from core.jobs import enqueue_on_commit, job_create, job_fail, job_finish, job_start
from core.models import JobRun
from organizations.models import Region

from .. import matching
from ..choices import ACCEPTED_PROPOSAL_STATUSES, MatchRule, MemberStatus, ProposalStatus
from ..models import MatchProposal, PartyMember, Worker
from .cases import cases_open_for_proposals

JOB_KIND = "two_finds"

#: Members who can be found: everyone on the roster but the removed (a suspended member out of
#: contact is exactly who the organization is looking for).
MATCHABLE_MEMBER_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.SUSPENDED)

DEFAULT_CHUNK_SIZE = 100_000
DEFAULT_KEY_FILTER_LIMIT = 2_000
_READ_BATCH = 20_000
_UPDATE_BATCH = 5_000

_COLUMNS = (
    "pk",
    "id_number_index",
    "phone_index",
    "name",
    "birth_date",
    "gender",
    "region_id",
    "industry_id",
    "matched_at",
    "identity_changed_at",
)

RESULT_COUNTS = (
    "workers_read",
    "workers_pending",
    "candidates",
    "exact",
    "auto_accepted",
    "review",
    "discarded",
    "excluded",
    "created",
    "skipped_existing",
    "cases_opened",
)


def thresholds() -> dict[str, float]:
    """Auto-accept and review thresholds: ``settings.TWO_FINDS_THRESHOLDS`` over the defaults."""
    return {**matching.DEFAULT_THRESHOLDS, **getattr(settings, "TWO_FINDS_THRESHOLDS", {})}


def _chunk_size() -> int:
    return int(getattr(settings, "TWO_FINDS_CHUNK_SIZE", DEFAULT_CHUNK_SIZE))


def _key_filter_limit() -> int:
    return int(getattr(settings, "TWO_FINDS_KEY_FILTER_LIMIT", DEFAULT_KEY_FILTER_LIMIT))


def pending_q() -> Q:
    """New or changed since last matched."""
    return Q(matched_at__isnull=True) | Q(matched_at__lt=F("identity_changed_at"))


def _workers() -> Any:
    return Worker.objects.filter(active=True)


def _members() -> Any:
    return PartyMember.objects.filter(status__in=MATCHABLE_MEMBER_STATUSES)


# --- queue and plan --------------------------------------------------------------------------


def two_finds_queue(*, actor: Any) -> JobRun:
    """Create a two-finds job and queue its coordinator task once the transaction commits."""
    from ..tasks import run_two_finds

    with transaction.atomic():
        job = job_create(actor=actor, kind=JOB_KIND, parameters={"thresholds": thresholds()})
        audit.record(actor=actor, action=AuditAction.CREATE, obj=job, verb="two_finds_queue")
        enqueue_on_commit(run_two_finds, job.pk)
    return job


def _member_key_filter(members: Iterable[tuple]) -> Q:
    """Workers sharing a blocking key with these (pending) members."""
    ids, phones, births, pinyins = set(), set(), set(), set()
    for id_index, phone_index, birth, pinyin in members:
        ids.add(id_index)
        phones.add(phone_index)
        births.add(birth)
        pinyins.add(pinyin)
    ids.discard("")
    phones.discard("")
    births.discard(None)
    pinyins.discard("")
    parts = [
        Q(id_number_index__in=ids) if ids else None,
        Q(phone_index__in=phones) if phones else None,
        Q(birth_date__in=births) if births else None,
        Q(name_pinyin__in=pinyins) if pinyins else None,
    ]
    parts = [p for p in parts if p is not None]
    return reduce(or_, parts) if parts else Q(pk__in=[])


def _worker_filter() -> Q:
    """Which active workers a run reads: pending ones, plus those that could meet a pending
    member (all of them when many members are pending)."""
    pending_members = _members().filter(pending_q())
    n_pending = pending_members.count()
    if n_pending == 0:
        return pending_q()
    if n_pending > _key_filter_limit():
        return Q()
    rows = pending_members.values_list(
        "id_number_index", "phone_index", "birth_date", "name_pinyin"
    )
    return pending_q() | _member_key_filter(rows)


def two_finds_plan(*, job: JobRun) -> list[tuple[int, int]]:
    """Start ``job`` and return the primary-key ranges (inclusive) of its chunks.

    Records in ``job.parameters`` the start time (what ``matched_at`` is set to), the largest
    member id seen (members added later wait for the next run) and the number of chunks.
    """
    job_start(job)
    worker_pks = list(
        _workers().filter(_worker_filter()).order_by("pk").values_list("pk", flat=True)
    )
    size = _chunk_size()
    ranges = [
        (worker_pks[i], worker_pks[min(i + size, len(worker_pks)) - 1])
        for i in range(0, len(worker_pks), size)
    ]
    member_max = _members().order_by("-pk").values_list("pk", flat=True).first() or 0
    job.parameters = {
        **job.parameters,
        "thresholds": job.parameters.get("thresholds") or thresholds(),
        "started": job.started_at.isoformat(),
        "member_max_pk": member_max,
        "chunks": len(ranges),
        "members_pending": _members().filter(pending_q()).count(),
    }
    job.progress_total = len(worker_pks)
    job.result = {"chunks_done": [], "totals": dict.fromkeys(RESULT_COUNTS, 0)}
    job.save(update_fields=["parameters", "progress_total", "result"])
    return ranges


# --- the member index ------------------------------------------------------------------------


class MemberIndex:
    """Every matchable member as engine columns, with the name table the workers share."""

    def __init__(self, *, member_max_pk: int) -> None:
        self.names = matching.NameTable()
        self.district_of = _district_of()
        rows = []
        for row in (
            _members()
            .filter(pk__lte=member_max_pk)
            .order_by("pk")
            .values_list(*_COLUMNS)
            .iterator(chunk_size=_READ_BATCH)
        ):
            rows.append(_engine_row(row, linked=False))
        self.people = matching.people_from_rows(rows, self.names, district_of=self.district_of)
        self.pending_count = int(self.people.pending.sum())


_INDEX_CACHE: dict[tuple[int, str], MemberIndex] = {}


def _member_index(job: JobRun) -> MemberIndex:
    """The member index of ``job``, built once per process (chunks of one job on the same
    Celery worker reuse it); other jobs' indexes are dropped."""
    key = (job.pk, job.parameters["started"])
    index = _INDEX_CACHE.get(key)
    if index is None:
        _INDEX_CACHE.clear()
        index = _INDEX_CACHE[key] = MemberIndex(member_max_pk=job.parameters["member_max_pk"])
    return index


def _district_of() -> dict[int, int]:
    return {
        pk: matching.district_code(code) for pk, code in Region.objects.values_list("pk", "code")
    }


def _engine_row(row: tuple, *, linked: bool) -> tuple:
    pk, id_index, phone_index, name, birth, gender, region, industry, matched_at, changed = row
    pending = matched_at is None or (changed is not None and matched_at < changed)
    return (pk, id_index, phone_index, name, birth, gender, region, industry, pending, linked)


# --- one chunk -------------------------------------------------------------------------------


def two_finds_chunk(*, job: JobRun, index: int, first_pk: int, last_pk: int) -> dict[str, int]:
    """Match the workers with ``first_pk ≤ pk ≤ last_pk`` and record the outcome; returns this
    chunk's counts. Safe to run twice (a redelivered chunk is recognized and counts once)."""
    job.refresh_from_db()
    started = parse_datetime(job.parameters["started"])
    limits = {k: float(v) for k, v in job.parameters["thresholds"].items()}
    members = _member_index(job)

    existing: dict[tuple[int, int], str] = {}
    linked: set[int] = set()
    for worker_id, member_id, status in MatchProposal.objects.filter(
        worker_id__gte=first_pk, worker_id__lte=last_pk
    ).values_list("worker_id", "member_id", "status"):
        existing[(worker_id, member_id)] = status
        if status in ACCEPTED_PROPOSAL_STATUSES:
            linked.add(worker_id)
    rejected = [pair for pair, status in existing.items() if status == ProposalStatus.REJECTED]

    worker_rows = [
        _engine_row(row, linked=row[0] in linked)
        for row in _workers()
        .filter(pk__gte=first_pk, pk__lte=last_pk)
        .filter(_worker_filter())
        .order_by("pk")
        .values_list(*_COLUMNS)
        .iterator(chunk_size=_READ_BATCH)
    ]
    workers = matching.people_from_rows(worker_rows, members.names, district_of=members.district_of)
    result = matching.match(
        workers, members.people, members.names, thresholds=limits, excluded_pairs=rejected
    )

    now = timezone.now()
    proposals = []
    for i in range(len(result)):
        pair = (int(result.worker_pk[i]), int(result.member_pk[i]))
        if pair in existing:
            continue
        auto = result.status[i] == matching.AUTO
        proposals.append(
            MatchProposal(
                worker_id=pair[0],
                member_id=pair[1],
                rule=MatchRule.EXACT_ID if result.exact[i] else MatchRule.FUZZY,
                score=round(float(result.score[i]), 3),
                evidence=result.evidence(i, members.names, workers, members.people),
                status=ProposalStatus.AUTO_ACCEPTED if auto else ProposalStatus.PROPOSED,
                decided_at=now if auto else None,
                job=job,
            )
        )
    counts = {
        **dict.fromkeys(RESULT_COUNTS, 0),
        **{k: int(v) for k, v in result.counts.items() if k in RESULT_COUNTS},
        "workers_read": len(workers),
        "workers_pending": int(workers.pending.sum()),
        "created": len(proposals),
        "skipped_existing": len(result) - len(proposals),
    }
    actor = job.created_by or "two-finds job"
    with transaction.atomic():
        MatchProposal.objects.bulk_create(proposals, batch_size=2_000, ignore_conflicts=True)
        auto_workers = [p.worker_id for p in proposals if p.status == ProposalStatus.AUTO_ACCEPTED]
        accepted = (
            MatchProposal.objects.filter(
                job=job, status=ProposalStatus.AUTO_ACCEPTED, worker_id__in=auto_workers
            ).select_related("worker", "member")
            if auto_workers
            else []
        )
        counts["cases_opened"] = cases_open_for_proposals(actor=actor, proposals=accepted)
        pending_pks = workers.pk[workers.pending].tolist()
        for start in range(0, len(pending_pks), _UPDATE_BATCH):
            Worker.objects.filter(pk__in=pending_pks[start : start + _UPDATE_BATCH]).update(
                matched_at=started
            )
        last = _count_chunk(job, index, counts)
    if last:
        two_finds_finish(job=job)
    return counts


def _count_chunk(job: JobRun, index: int, counts: dict[str, int]) -> bool:
    """Add a chunk's counts to the job under a row lock (in the chunk's transaction, so that a
    chunk is counted exactly when its writes commit); True when it was the last chunk."""
    locked = JobRun.objects.select_for_update().get(pk=job.pk)
    progress = locked.result or {"chunks_done": [], "totals": dict.fromkeys(RESULT_COUNTS, 0)}
    if index in progress["chunks_done"]:
        raise _AlreadyCounted(index)
    progress["chunks_done"].append(index)
    totals = progress["totals"]
    for key, value in counts.items():
        totals[key] = totals.get(key, 0) + value
    locked.result = progress
    locked.progress_done = min(locked.progress_total, locked.progress_done + counts["workers_read"])
    locked.save(update_fields=["result", "progress_done"])
    return len(progress["chunks_done"]) >= locked.parameters.get("chunks", 0)


class _AlreadyCounted(Exception):
    """A redelivered chunk: its transaction is rolled back and nothing is counted twice."""


def two_finds_chunk_once(*, job: JobRun, index: int, first_pk: int, last_pk: int) -> dict | None:
    """:func:`two_finds_chunk`, or ``None`` when this chunk was already done (redelivery)."""
    try:
        return two_finds_chunk(job=job, index=index, first_pk=first_pk, last_pk=last_pk)
    except _AlreadyCounted:
        return None


def two_finds_finish(*, job: JobRun) -> dict[str, Any]:
    """Mark the pending members matched and write the summary into the job."""
    job.refresh_from_db()
    started = parse_datetime(job.parameters["started"])
    # Members changed after the start stay pending (identity_changed_at > started).
    _members().filter(pending_q()).filter(
        pk__lte=job.parameters["member_max_pk"], identity_changed_at__lte=started
    ).update(matched_at=started)
    totals = (job.result or {}).get("totals", {})
    summary = {
        **dict.fromkeys(RESULT_COUNTS, 0),
        **totals,
        "members_read": _members().filter(pk__lte=job.parameters["member_max_pk"]).count(),
        "members_pending": job.parameters.get("members_pending", 0),
        "chunks": job.parameters.get("chunks", 0),
        "seconds": round((timezone.now() - started).total_seconds(), 2),
    }
    _INDEX_CACHE.clear()
    job_finish(job, result=summary)
    return summary


def two_finds_run(*, job: JobRun) -> dict[str, Any]:
    """Run a whole job in this process, chunk after chunk (the commands' and tests' path; the
    Celery path dispatches the chunks instead)."""
    try:
        ranges = two_finds_plan(job=job)
        for index, (first, last) in enumerate(ranges):
            two_finds_chunk_once(job=job, index=index, first_pk=first, last_pk=last)
        if not ranges:
            two_finds_finish(job=job)
    except Exception as exc:
        job_fail(job, error=repr(exc))
        raise
    job.refresh_from_db()
    return job.result
