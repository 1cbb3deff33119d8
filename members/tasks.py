"""Celery tasks of the members app: thin, take ids, idempotent, acknowledged late."""

from celery import group, shared_task

from core.choices import JobStatus
from core.context import request_context
from core.jobs import job_fail
from core.models import JobRun


def _context(task):
    return request_context(f"task-{task.request.id}" if task.request.id else None)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_two_finds(self, job_id: int) -> int:
    """Coordinator: plan the job's chunks and dispatch one chunk task per range (a group, so
    several workers share the run); the chunk completing the set finishes the job. Returns the
    number of chunks."""
    from .services.two_finds import two_finds_finish, two_finds_plan

    job = JobRun.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return 0  # a redelivered coordinator: the run was already planned
    with _context(self):
        try:
            ranges = two_finds_plan(job=job)
            if not ranges:
                two_finds_finish(job=job)
                return 0
        except Exception as exc:
            job_fail(job, error=repr(exc))
            raise
    group(
        two_finds_chunk.s(job_id, index, first, last) for index, (first, last) in enumerate(ranges)
    ).apply_async()
    return len(ranges)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def two_finds_chunk(self, job_id: int, index: int, first_pk: int, last_pk: int) -> dict | None:
    """Match one range of workers (ids only in the arguments; safe to run twice)."""
    from .services.two_finds import two_finds_chunk_once

    job = JobRun.objects.get(pk=job_id)
    if job.status == JobStatus.FAILED:
        return None  # another chunk failed: the run is abandoned, a new run picks it up
    with _context(self):
        try:
            return two_finds_chunk_once(job=job, index=index, first_pk=first_pk, last_pk=last_pk)
        except Exception as exc:
            job_fail(job, error=repr(exc))
            raise


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def expire_transfer_letters(self) -> dict:
    """Mark issued transfer letters past their validity as expired; safe to run twice."""
    from .services.people import letters_expire

    with _context(self):
        return {"expired": letters_expire()}
