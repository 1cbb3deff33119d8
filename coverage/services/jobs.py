"""The rollup and backfill as jobs: queued after commit, reporting their progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import enqueue_on_commit, job_create, job_progress
from core.models import JobRun

from .leaves import Progress

#: The longest range one backfill request may cover (ten years and leap days).
BACKFILL_MAX_DAYS = 3660


def coverage_rollup_queue(*, actor: Any, day: dt.date | None = None) -> JobRun:
    """Queue the rollup of ``day`` (today) as a job; the task starts after commit."""
    from ..tasks import rollup_day

    day = day or timezone.localdate()
    job = job_create(actor=actor, kind="coverage.rollup_day", parameters={"day": day.isoformat()})
    enqueue_on_commit(rollup_day, job.pk)
    return job


def coverage_backfill_queue(
    *, actor: Any, start: dt.date, end: dt.date, monthly: bool = False
) -> JobRun:
    """Queue a backfill from ``start`` to ``end`` (every day, or month ends and ``end``); the
    range must not run backwards nor span more than :data:`BACKFILL_MAX_DAYS`."""
    from ..tasks import backfill_range

    if end < start:
        raise ValidationError({"end": _("The end comes before the start.")})
    if (end - start).days > BACKFILL_MAX_DAYS:
        raise ValidationError({"end": _("Backfill at most ten years at once.")})
    job = job_create(
        actor=actor,
        kind="coverage.backfill",
        parameters={"start": start.isoformat(), "end": end.isoformat(), "monthly": monthly},
    )
    enqueue_on_commit(backfill_range, job.pk)
    return job


def job_progress_callback(job: JobRun) -> Progress:
    def report(done: int, total: int) -> None:
        if job.progress_total != total:
            JobRun.objects.filter(pk=job.pk).update(progress_total=total)
            job.progress_total = total
        job_progress(job, done=done)

    return report
