"""Celery tasks of the coverage app: thin, take a job id, idempotent (a rerun replaces the
same day's rows with the same rows). The job lifecycle is :func:`core.jobs.tasks.job_task`'s."""

import datetime as dt

from django.utils import timezone

from core.jobs import job_create
from core.jobs.tasks import job_task
from core.models import JobRun

ROLLUP_KIND = "coverage.rollup_day"


def _scheduled_rollup() -> JobRun:
    """Beat calls the rollup without a job: it records one so the nightly run shows too."""
    return job_create(
        actor=None,
        kind=ROLLUP_KIND,
        parameters={"day": timezone.localdate().isoformat(), "scheduled": True},
    )


@job_task(create=_scheduled_rollup)
def rollup_day(job: JobRun, *, task) -> dict:
    """Snapshot one day (the job's ``day``, or today)."""
    from .services import job_progress_callback, snapshot_day

    day = dt.date.fromisoformat(job.parameters.get("day") or timezone.localdate().isoformat())
    rows = snapshot_day(day=day, progress=job_progress_callback(job))
    return {"day": day.isoformat(), "rows": rows}


@job_task()
def backfill_range(job: JobRun, *, task) -> dict:
    """Snapshot the job's date range (every day, or month ends when ``monthly``)."""
    from .services import backfill, job_progress_callback, month_ends

    start = dt.date.fromisoformat(job.parameters["start"])
    end = dt.date.fromisoformat(job.parameters["end"])
    days = month_ends(start, end) if job.parameters.get("monthly") else None
    rows = backfill(start=start, end=end, days=days, progress=job_progress_callback(job))
    return {"start": start.isoformat(), "end": end.isoformat(), "rows": rows}
