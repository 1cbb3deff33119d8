"""The organization finds members (组织找党员) as a job: plan, score in chunks, decide once.

A run is a :class:`~core.models.JobRun` of kind ``two_finds``:

1. :func:`two_finds_queue` creates the job and queues the coordinator after commit.
2. :func:`two_finds_plan` (the coordinator) fixes the run's *watermark*, estimates the model
   (m and u by EM on this data, :func:`members.matching.estimate`) and cuts the workers to
   read into primary-key ranges of ``TWO_FINDS_CHUNK_SIZE``; the task dispatches one chunk
   task per range (a Celery group, so several workers share the run).
3. :func:`two_finds_chunk` scores its range of workers against every member (the member
   columns are loaded once per process and job) and writes the pairs worth keeping as
   proposals, undecided. The chunk that completes the set runs :func:`two_finds_finish`.
4. :func:`two_finds_finish` decides every pair of the run at once (one worker per member and
   one member per worker need the whole run), then opens the cases, their first events and
   their audit rows in bulk (``members.services.two_finds.write``).

Incremental without writing back to people: a person is *pending* when changed at or after
the previous successful run's watermark (``identity_changed_at``). The watermark of a run is
its start, or the start of the oldest roster intake still running then (its rows may commit
later with an earlier stamp). A run matches pending workers × all members ∪ all workers ×
pending members: without pending members only pending workers are read; with few
(≤ ``TWO_FINDS_KEY_FILTER_LIMIT``) also the workers sharing a blocking key with one of them;
with more, every active worker. Nobody's row is updated to say "matched".

Idempotent: each (worker, member) pair has at most one proposal (unique constraint, written
with ``ignore_conflicts``), so a rerun creates nothing new, a redelivered chunk is counted
once, and a pair decided "not a match" is excluded before scoring and never proposed again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import socket
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core import audit
from core.choices import AuditAction, JobStatus
from core.jobs import enqueue_on_commit, job_create, job_fail, job_finish, job_start
from core.models import JobRun
from organizations.models import Region

from ... import matching
from ...choices import MemberStatus, ProposalStatus
from ...models import MatchProposal, PartyMember, Worker
from .identity import id_typo_for
from .load import load_people
from .write import decide_run, write_scored

JOB_KIND = "two_finds"
#: Intake job kinds whose running rows hold the watermark back.
INTAKE_KINDS = ("members.roster_upsert", "members.member_roster_upsert")

#: Members who can be found: everyone on the roster but the removed (a suspended member out of
#: contact is exactly who the organization is looking for).
MATCHABLE_MEMBER_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.SUSPENDED)

DEFAULT_CHUNK_SIZE = 250_000
DEFAULT_KEY_FILTER_LIMIT = 2_000
#: Workers sampled for the estimation when there are more (EM needs pairs, not everyone).
ESTIMATION_SAMPLE = 50_000

RESULT_COUNTS = (
    "workers_read",
    "workers_pending",
    "candidates",
    "scored",
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


_MEMBER_WHERE = "status IN ({})".format(", ".join(f"'{s}'" for s in MATCHABLE_MEMBER_STATUSES))
_PENDING = "(%(since)s IS NULL OR identity_changed_at >= %(since)s)"


def _members() -> Any:
    return PartyMember.objects.filter(status__in=MATCHABLE_MEMBER_STATUSES)


def _pending_members(since: dt.datetime | None) -> Any:
    members = _members()
    return members if since is None else members.filter(identity_changed_at__gte=since)


# --- queue and plan --------------------------------------------------------------------------


def two_finds_queue(*, actor: Any, chunk_size: int | None = None) -> JobRun:
    """Create a two-finds job and queue its coordinator task once the transaction commits.
    ``chunk_size`` (workers per chunk) overrides ``TWO_FINDS_CHUNK_SIZE`` for this run."""
    from ...tasks import run_two_finds

    parameters: dict[str, Any] = {"thresholds": thresholds()}
    if chunk_size:
        parameters["chunk_size"] = int(chunk_size)
    with transaction.atomic():
        job = job_create(actor=actor, kind=JOB_KIND, parameters=parameters)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=job, verb="two_finds_queue")
        enqueue_on_commit(run_two_finds, job.pk)
    return job


def _previous_watermark() -> dt.datetime | None:
    last = (
        JobRun.objects.filter(kind=JOB_KIND, status=JobStatus.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .values_list("parameters", flat=True)
        .first()
    )
    mark = (last or {}).get("watermark")
    return parse_datetime(mark) if mark else None


def _watermark(started: dt.datetime) -> dt.datetime:
    running = (
        JobRun.objects.filter(kind__in=INTAKE_KINDS, status=JobStatus.RUNNING)
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return min(started, running) if running else started


def _worker_where(since: dt.datetime | None) -> str:
    """Which active workers a run reads (SQL over ``members_worker``)."""
    if since is None:
        return "active"
    n_pending = _pending_members(since).count()
    if n_pending == 0:
        return f"active AND {_PENDING}"
    if n_pending > _key_filter_limit():
        return "active"
    member = f"SELECT {{col}} FROM members_partymember WHERE {_MEMBER_WHERE} AND {_PENDING}"
    keys = " OR ".join(
        f"{col} IN ({member.format(col=col)} AND {col} {cond})"
        for col, cond in (
            ("id_number_index", "<> ''"),
            ("phone_index", "<> ''"),
            ("birth_date", "IS NOT NULL"),
            ("name_pinyin", "<> ''"),
        )
    )
    return f"active AND ({_PENDING} OR {keys})"


def two_finds_plan(*, job: JobRun) -> list[tuple[int, int]]:
    """Start ``job``, estimate its model and return the primary-key ranges (inclusive) of its
    chunks. ``job.parameters`` records the start, the watermark, the previous one (``since``),
    the largest member id seen (members added later wait for the next run), the model and the
    number of chunks."""
    job_start(job)
    clock = time.perf_counter()
    since = _previous_watermark()
    where = _worker_where(since)
    size = int(job.parameters.get("chunk_size") or _chunk_size())
    ranges, n_workers = _ranges(where, since, size)
    member_max = _members().order_by("-pk").values_list("pk", flat=True).first() or 0
    job.parameters = {
        **job.parameters,
        "thresholds": job.parameters.get("thresholds") or thresholds(),
        "started": job.started_at.isoformat(),
        "watermark": _watermark(job.started_at).isoformat(),
        "since": since.isoformat() if since else None,
        "worker_where": where,
        "member_max_pk": member_max,
        "chunks": len(ranges),
        "members_pending": _pending_members(since).filter(pk__lte=member_max).count(),
    }
    if ranges:
        job.parameters["model"] = _estimate(job, since).as_dict()
    job.progress_total = n_workers
    job.result = {
        "chunks_done": [],
        "totals": dict.fromkeys(RESULT_COUNTS, 0),
        "step_seconds": {"plan": round(time.perf_counter() - clock, 2), "chunks": []},
    }
    job.save(update_fields=["parameters", "progress_total", "result"])
    return ranges


def _ranges(where: str, since: dt.datetime | None, size: int) -> tuple[list[tuple[int, int]], int]:
    """The primary-key ranges (inclusive) of ``size`` workers each among those ``where``
    selects, and how many workers that is: cut by the database (one row per chunk), not by
    reading every id into Python."""
    sql = (
        "SELECT MIN(id), MAX(id), COUNT(*) FROM (SELECT id, "
        "(ROW_NUMBER() OVER (ORDER BY id) - 1) / %s AS chunk "
        f"FROM {Worker._meta.db_table} WHERE {where.replace('%(since)s', '%s')}) AS numbered "
        "GROUP BY chunk ORDER BY chunk"
    )
    mark = connection.ops.adapt_datetimefield_value(since) if since is not None else None
    with connection.cursor() as cursor:
        cursor.execute(sql, [size] + [mark] * where.count("%(since)s"))
        rows = cursor.fetchall()
    return [(int(first), int(last)) for first, last, _n in rows], sum(n for *_r, n in rows)


def _estimate(job: JobRun, since: dt.datetime | None) -> matching.Model:
    """The model of this run: m and u from the members and (a sample of) the active workers."""
    members = _member_index(job)
    n_active = Worker.objects.filter(active=True).count()
    where = "active"
    if n_active > ESTIMATION_SAMPLE:
        step = -(-n_active // ESTIMATION_SAMPLE)
        where = f"active AND id %% {step} = 0"  # %% : the SQL goes through pyformat
    workers = load_people(
        Worker,
        where=where,
        params={"since": since},
        names=members.names,
        district_of=members.district_of,
    )
    typo = id_typo_for(workers, members.people)
    return matching.estimate(workers, members.people, members.names, id_typo=typo)


# --- the member index ------------------------------------------------------------------------


class MemberIndex:
    """Every matchable member as engine columns, with the name table the workers share."""

    def __init__(self, *, member_max_pk: int, since: dt.datetime | None, linked: set[int]) -> None:
        self.names = matching.NameTable()
        self.district_of = _district_of()
        self.people = load_people(
            PartyMember,
            where=f"{_MEMBER_WHERE} AND id <= %(max)s",
            params={"since": since, "max": member_max_pk},
            names=self.names,
            district_of=self.district_of,
            linked=linked,
        )
        self.pending_count = int(self.people.pending.sum())


_INDEX_CACHE: dict[tuple[int, str], MemberIndex] = {}
_INDEX_LOCK = threading.Lock()  # a threads pool runs several chunks in one process


def _since(job: JobRun) -> dt.datetime | None:
    value = job.parameters.get("since")
    return parse_datetime(value) if value else None


def _member_index(job: JobRun) -> MemberIndex:
    """The member index of ``job``, built once per process (chunks of one job on the same
    Celery worker reuse it); other jobs' indexes are dropped."""
    key = (job.pk, job.parameters["started"])
    with _INDEX_LOCK:
        index = _INDEX_CACHE.get(key)
        if index is None:
            _INDEX_CACHE.clear()
            linked = set(
                MatchProposal.objects.filter(status__in=_ACCEPTED).values_list(
                    "member_id", flat=True
                )
            )
            index = _INDEX_CACHE[key] = MemberIndex(
                member_max_pk=job.parameters["member_max_pk"], since=_since(job), linked=linked
            )
        return index


_ACCEPTED = (ProposalStatus.AUTO_ACCEPTED, ProposalStatus.CONFIRMED)


def _district_of() -> dict[int, int]:
    return {
        pk: matching.district_code(code) for pk, code in Region.objects.values_list("pk", "code")
    }


# --- one chunk -------------------------------------------------------------------------------


def two_finds_chunk(*, job: JobRun, index: int, first_pk: int, last_pk: int) -> dict[str, int]:
    """Score the workers with ``first_pk ≤ pk ≤ last_pk`` and write the pairs worth keeping;
    returns this chunk's counts. Safe to run twice (a redelivered chunk counts once)."""
    job.refresh_from_db()
    clock = [time.perf_counter()]
    limits = {k: float(v) for k, v in job.parameters["thresholds"].items()}
    model = matching.Model.from_dict(job.parameters["model"])
    members = _member_index(job)
    existing = dict(
        (((w, m), s))
        for w, m, s in MatchProposal.objects.filter(
            worker_id__gte=first_pk, worker_id__lte=last_pk
        ).values_list("worker_id", "member_id", "status")
    )
    rejected = [pair for pair, status in existing.items() if status == ProposalStatus.REJECTED]
    where = job.parameters["worker_where"]
    workers = load_people(
        Worker,
        where=f"({where}) AND id >= %(first)s AND id <= %(last)s",
        params={"since": _since(job), "first": first_pk, "last": last_pk},
        names=members.names,
        district_of=members.district_of,
    )
    clock.append(time.perf_counter())
    scored = matching.score(
        workers,
        members.people,
        members.names,
        model=model,
        review=limits["review"],
        excluded_pairs=rejected,
        id_typo=id_typo_for(workers, members.people),
    )
    clock.append(time.perf_counter())
    with transaction.atomic():
        counts = write_scored(
            job=job,
            scored=scored,
            workers=workers,
            members=members.people,
            names=members.names,
            model=model,
            accept=limits["accept"],
            existing=existing,
        )
        counts.update(workers_read=len(workers), workers_pending=int(workers.pending.sum()))
        clock.append(time.perf_counter())
        seconds = dict(zip(("load", "score", "write"), _steps(clock), strict=True))
        last = _count_chunk(job, index, counts, seconds)
    if last:
        two_finds_finish(job=job)
    return counts


def _steps(clock: list[float]) -> list[float]:
    """The seconds between successive readings of ``time.perf_counter``, rounded."""
    return [round(b - a, 2) for a, b in itertools.pairwise(clock)]


def _count_chunk(job: JobRun, index: int, counts: dict[str, int], seconds: dict) -> bool:
    """Add a chunk's counts to the job under a row lock (in the chunk's transaction, so that a
    chunk is counted exactly when its writes commit); True when it was the last chunk."""
    locked = JobRun.objects.select_for_update().get(pk=job.pk)
    progress = locked.result or {"chunks_done": [], "totals": dict.fromkeys(RESULT_COUNTS, 0)}
    if index in progress["chunks_done"]:
        raise _AlreadyCounted(index)
    progress["chunks_done"].append(index)
    # Which process and thread ran the chunk (shows that a run was shared).
    progress.setdefault("executors", []).append(
        f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    )
    # How long the chunk's steps took (loading its workers, scoring, writing): the job's
    # summary shows where a run's time goes.
    progress.setdefault("step_seconds", {"chunks": []})["chunks"].append(seconds)
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
    """Decide the run's pairs, open the cases, write the summary into the job."""
    job.refresh_from_db()
    started = parse_datetime(job.parameters["started"])
    totals = dict((job.result or {}).get("totals", {}))
    limits = {k: float(v) for k, v in job.parameters["thresholds"].items()}
    actor = job.created_by or "two-finds job"
    clock = time.perf_counter()
    with transaction.atomic():
        decided = decide_run(job=job, actor=actor, accept=limits["accept"], review=limits["review"])
    seconds = {
        **(job.result or {}).get("step_seconds", {}),
        "finish": _steps([clock, time.perf_counter()])[0],
    }
    totals.update(decided)
    model = job.parameters.get("model") or {}
    executors = (job.result or {}).get("executors", [])
    summary = {
        **dict.fromkeys(RESULT_COUNTS, 0),
        **totals,
        "executors": len(set(executors)),
        "members_read": _members().filter(pk__lte=job.parameters["member_max_pk"]).count(),
        "members_pending": job.parameters.get("members_pending", 0),
        "chunks": job.parameters.get("chunks", 0),
        "model": model.get("source", "prior"),
        "seconds": round((timezone.now() - started).total_seconds(), 2),
        # Where the time went: planning (with the estimation), each chunk's load, score and
        # write, and the decision with the cases opened.
        "step_seconds": seconds,
    }
    _INDEX_CACHE.clear()
    job_finish(job, result=summary)
    return summary


def two_finds_run(*, job: JobRun) -> dict[str, Any]:
    """Run a whole job in this process, chunk after chunk (the eager path: commands without a
    broker, tests; the Celery path dispatches the chunks instead)."""
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
