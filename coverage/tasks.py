"""Celery tasks of the coverage app: thin, take a job id, idempotent (a rerun replaces the
same day's rows with the same rows)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from core.context import request_context
from core.jobs import job_create, job_fail, job_finish, job_start
from core.models import JobRun


def _run(task, job: JobRun, work) -> dict:
    with request_context(f"task-{task.request.id}" if task.request.id else None):
        job_start(job)
        try:
            result = work()
        except Exception as exc:
            job_fail(job, error=repr(exc))
            raise
        job_finish(job, result=result)
    return result


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def rollup_day(self, job_id: int | None = None) -> dict:
    """Snapshot one day (the job's ``day``, or today). Beat calls it without a job: it then
    records its own job run so the nightly run shows in the portal too."""
    from .services import job_progress_callback, snapshot_day

    if job_id is None:
        job = job_create(
            actor=None,
            kind="coverage.rollup_day",
            parameters={"day": timezone.localdate().isoformat(), "scheduled": True},
        )
    else:
        job = JobRun.objects.get(pk=job_id)
    day = dt.date.fromisoformat(job.parameters.get("day") or timezone.localdate().isoformat())

    def work():
        rows = snapshot_day(day=day, progress=job_progress_callback(job))
        return {"day": day.isoformat(), "rows": rows}

    return _run(self, job, work)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def backfill_range(self, job_id: int) -> dict:
    """Snapshot the job's date range (every day, or month ends when ``monthly``)."""
    from .services import backfill, job_progress_callback, month_ends

    job = JobRun.objects.get(pk=job_id)
    start = dt.date.fromisoformat(job.parameters["start"])
    end = dt.date.fromisoformat(job.parameters["end"])
    days = month_ends(start, end) if job.parameters.get("monthly") else None

    def work():
        rows = backfill(start=start, end=end, days=days, progress=job_progress_callback(job))
        return {"start": start.isoformat(), "end": end.isoformat(), "rows": rows}

    return _run(self, job, work)
