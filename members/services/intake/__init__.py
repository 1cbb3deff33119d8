"""Roster intake: the one service behind the three doors (API, admin/portal import, commands).

:func:`roster_upsert` takes worker rows keyed by (``source``, ``external_id``) and creates or
updates :class:`~members.models.Worker` rows; :func:`member_roster_upsert` does the same for
party members keyed by ``member_id``. Both run the same loop (:mod:`.engine`) with their own
:class:`~.engine.Spec` (:mod:`.workers`, :mod:`.members`):

* Every row is validated in Python (ID numbers a chunk at a time, :mod:`.cells`); a bad row is
  reported with its row number, the column and the reason (in the active language) and
  skipped; the good rows are written. Row numbers are what the caller says the first row is
  (``first_row=1`` for API arrays; files pass 2, so a row number is the line in the file with
  the header as line 1).
* An empty cell means "not given": on create the field stays blank (or takes its default), on
  update the stored value is kept. Intake never clears a field.
* A key twice in one call: the later row is rejected ("duplicate in this batch").
* The same row sent again costs no write (its hash is the record's ``row_hash``); a worker
  seen again is recorded as an island of ids (``RosterSighting``), not by rewriting its row.
  ``identity_changed_at`` moves only when a field the matcher reads changed.
* Scope: look-ups only find enterprises / organizations the actor sees, an existing record the
  actor cannot see is not touched, and every written record must be visible to the actor
  afterwards. A partner (scope grant ``partner``) writes only workers of its own platform.
* Speed: new rows go to the database with ``COPY`` into a staging table and one set-based
  ``INSERT`` on PostgreSQL (``bulk_create`` on SQLite), changed rows with one ``UPDATE … FROM
  VALUES`` per batch (:mod:`.bulk`); blind indexes are computed per chunk.
* One :class:`~core.models.JobRun` per call carries the progress (``progress_done`` rows) and
  the report (counts and row errors, no personal data); one audit event per chunk names the
  ids it created and updated.

The management commands act as :data:`SYSTEM`, a city-wide actor that is not a user; they
stream files of any size and commit chunk by chunk (``commit_chunks``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import JobStatus
from core.jobs import job_create, job_finish, job_start
from organizations.models import Enterprise

from ...choices import WorkerSourceKind
from ..two_finds.auto import two_finds_request
from . import chunks, engine
from .bulk import update_rows
from .cells import MAX_KEY_LENGTH, cell
from .chunks import CHUNK_SIZE
from .members import MEMBER_COLUMNS, MemberSpec
from .report import SYSTEM, IntakeReport, RowError, SystemActor
from .workers import WORKER_COLUMNS, WorkerSpec, partner_platform_id

__all__ = [
    "CHUNK_SIZE",
    "MEMBER_COLUMNS",
    "SYSTEM",
    "WORKER_COLUMNS",
    "IntakeReport",
    "RowError",
    "SystemActor",
    "cell",
    "member_roster_upsert",
    "roster_upsert",
    "update_rows",
]


def _check_actor(actor: Any) -> None:
    if actor is None:
        raise ValueError("An intake needs an actor (a user, or intake.SYSTEM for scripts).")


def _intake(
    spec: engine.Spec,
    *,
    actor: Any,
    numbered: Iterable[tuple[int, Mapping[str, Any]]],
    report: IntakeReport,
    parameters: dict[str, Any],
    dry_run: bool,
    commit_chunks: bool,
    on_chunk: Callable[[IntakeReport], None] | None,
) -> IntakeReport:
    now = timezone.now()
    commit_chunks = commit_chunks and not dry_run
    with transaction.atomic():
        job = job_create(actor=actor, kind=spec.job_kind, parameters=parameters)
        job_start(job)
        if not commit_chunks:
            chunks.run(
                spec, actor=actor, numbered=numbered, report=report, job=job, now=now,
                on_chunk=on_chunk,
            )  # fmt: skip
            _finish(job, report)
            if dry_run:
                transaction.set_rollback(True)
                return report
    if commit_chunks:
        try:
            chunks.run(
                spec, actor=actor, numbered=numbered, report=report, job=job, now=now,
                commit_chunks=True, on_chunk=on_chunk,
            )  # fmt: skip
        except BaseException as exc:
            job.status, job.error = JobStatus.FAILED, repr(exc)[:4000]
            job.save(update_fields=["status", "error"])
            raise
        _finish(job, report)
    report.job_id = job.pk
    if report.created or report.updated:
        two_finds_request()  # after the commit, debounced (two_finds.auto)
    return report


def _finish(job, report: IntakeReport) -> None:
    summary = report.as_dict()
    summary["errors"] = summary["errors"][:1000]
    summary["warnings"] = summary["warnings"][:1000]
    job.progress_total = report.read
    job.save(update_fields=["progress_total"])
    job_finish(job, result=summary)
    report.job_id = job.pk


def roster_upsert(
    *,
    actor: Any,
    source: str,
    rows: Iterable[Mapping[str, Any]] = (),
    source_kind: str = WorkerSourceKind.PLATFORM_ROSTER,
    platform: Enterprise | None = None,
    first_row: int = 1,
    row_numbers: Sequence[int] | Iterable[int] | None = None,
    dry_run: bool = False,
    commit_chunks: bool = False,
    on_chunk: Callable[[IntakeReport], None] | None = None,
    numbered_rows: Iterable[tuple[int, Mapping[str, Any]]] | None = None,
) -> IntakeReport:
    """Create or update workers from roster ``rows`` (dicts with :data:`WORKER_COLUMNS`).

    ``source`` names the roster (a slug, e.g. ``meituan``); ``platform`` is the platform of
    the whole roster (ignored for a partner, whose own platform is used; otherwise a row's
    enterprise gives its platform when ``platform`` is not given). Rows are numbered from
    ``first_row``, or by ``row_numbers`` (a file's line numbers, blank lines skipped).
    ``dry_run`` validates and writes in a transaction that is rolled back: the report is what
    a real run would do. ``numbered_rows`` gives ``(row number, row)`` pairs instead (a
    stream of any length); ``commit_chunks`` commits chunk by chunk; ``on_chunk`` is called
    with the report after each chunk.
    """
    _check_actor(actor)
    source = (source or "").strip()
    if not source or not re.fullmatch(r"[-a-zA-Z0-9_]+", source) or len(source) > MAX_KEY_LENGTH:
        raise ValidationError(
            {"source": _("Name the roster with letters, digits, - or _ (at most 64 characters).")}
        )
    if source_kind not in WorkerSourceKind.values:
        raise ValidationError({"source_kind": _("Unknown kind of source.")})
    partner = partner_platform_id(actor)
    if partner is not None:
        platform = Enterprise.objects.get(pk=partner)
    spec = WorkerSpec(
        actor=actor,
        source=source,
        source_kind=source_kind,
        partner_platform_id=partner,
        roster_platform=platform,
    )
    return _intake(
        spec,
        actor=actor,
        numbered=numbered_rows
        if numbered_rows is not None
        else zip(
            row_numbers if row_numbers is not None else itertools.count(first_row),
            rows,
            strict=False,
        ),
        report=IntakeReport(key_name="external_id"),
        parameters={"source": source, "source_kind": source_kind},
        dry_run=dry_run,
        commit_chunks=commit_chunks,
        on_chunk=on_chunk,
    )


def member_roster_upsert(
    *,
    actor: Any,
    rows: Iterable[Mapping[str, Any]] = (),
    first_row: int = 1,
    row_numbers: Sequence[int] | Iterable[int] | None = None,
    dry_run: bool = False,
    commit_chunks: bool = False,
    on_chunk: Callable[[IntakeReport], None] | None = None,
    numbered_rows: Iterable[tuple[int, Mapping[str, Any]]] | None = None,
) -> IntakeReport:
    """Create or update party members from roster ``rows`` (dicts with :data:`MEMBER_COLUMNS`),
    keyed by ``member_id``. The organization (``organization_code``) must be one the actor sees;
    an ID number already held by another member is a row error. Same rules as
    :func:`roster_upsert` otherwise."""
    _check_actor(actor)
    return _intake(
        MemberSpec(actor=actor),
        actor=actor,
        numbered=numbered_rows
        if numbered_rows is not None
        else zip(
            row_numbers if row_numbers is not None else itertools.count(first_row),
            rows,
            strict=False,
        ),
        report=IntakeReport(key_name="member_id"),
        parameters={},
        dry_run=dry_run,
        commit_chunks=commit_chunks,
        on_chunk=on_chunk,
    )
