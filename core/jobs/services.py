"""Job runs: a task records its progress so the portal can draw a progress bar, and its signs of
life so that a job whose worker vanished is noticed (:mod:`core.jobs.watchdog`).

A job's life: :func:`job_create` (QUEUED) → :func:`enqueue_on_commit` sends its task after commit
(a refused send fails the job at once) → the task, wrapped by :func:`core.jobs.tasks.job_task`,
claims it (RUNNING), beats while it works and records progress → :func:`job_finish` or
:func:`job_fail`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import JobStatus
from ..models import JobRun

logger = logging.getLogger("core.jobs")

#: Why a job failed when its task could not be sent (shown on progress pages and by commands).
ENQUEUE_FAILED = _(
    "The job could not be queued: the task queue (Redis) did not answer. Nothing was done; "
    "start the job again once the queue is back."
)


def stale_seconds() -> int:
    """A job without a sign of life for this long is considered dead (its worker vanished)."""
    return int(getattr(settings, "JOB_STALE_SECONDS", 300))


def job_create(*, actor, kind: str, parameters: dict[str, Any] | None = None) -> JobRun:
    """A queued job run; the task that executes it is queued by the caller on commit."""
    return JobRun.objects.create(
        kind=kind,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        parameters=parameters or {},
    )


def job_start(job: JobRun, *, total: int = 0) -> None:
    now = timezone.now()
    job.status = JobStatus.RUNNING
    job.started_at = now
    job.heartbeat_at = now
    job.progress_total = total
    job.progress_done = 0
    job.save(
        update_fields=["status", "started_at", "heartbeat_at", "progress_total", "progress_done"]
    )


def job_claim(job: JobRun, *, total: int = 0) -> bool:
    """Take ``job`` for this worker: a queued job, or a running one whose worker shows no sign
    of life (a redelivered or re-sent task taking over). ``False`` when the job is finished or
    another worker is alive on it. One conditional UPDATE, so two copies never both win."""
    now = timezone.now()
    claimed = JobRun.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, progress_total=total
    )
    if not claimed:
        job.refresh_from_db()
        if job.status != JobStatus.RUNNING or not job.stale:
            return False
        claimed = JobRun.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(heartbeat_at=now, progress_total=total, progress_done=0)
        if not claimed:
            return False
        logger.warning("job %s: taking over from a worker that stopped answering", job.pk)
    job.refresh_from_db()
    return True


def job_heartbeat(job_id: int) -> None:
    """A sign of life of the worker running the job (every ``JOB_HEARTBEAT_SECONDS``)."""
    JobRun.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())


def job_progress(job: JobRun, *, done: int) -> None:
    now = timezone.now()
    JobRun.objects.filter(pk=job.pk).update(progress_done=done, heartbeat_at=now)
    job.progress_done = done
    job.heartbeat_at = now


def job_finish(job: JobRun, *, result: dict[str, Any]) -> None:
    job.status = JobStatus.SUCCEEDED
    job.result = result
    job.progress_done = job.progress_total
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "progress_done", "finished_at"])


def job_fail(job: JobRun, *, error: str) -> None:
    job.status = JobStatus.FAILED
    job.error = str(error)[:4000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def job_fail_unless_finished(job_id: int, *, error: str) -> bool:
    """Fail a job that has not finished (a job that did finish keeps its outcome)."""
    return bool(
        JobRun.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
            status=JobStatus.FAILED, error=str(error)[:4000], finished_at=timezone.now()
        )
    )


# --- sending the task ------------------------------------------------------------------------


def broker_errors() -> tuple[type[BaseException], ...]:
    """What a send raises when the broker cannot be reached."""
    from kombu.exceptions import OperationalError

    errors: tuple[type[BaseException], ...] = (OperationalError, ConnectionError, TimeoutError)
    try:
        import redis.exceptions

        errors += (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return errors


def send_job_task(task, job_id: int, *args: Any, **kwargs: Any) -> bool:
    """Send a job's task now. If the broker refuses, the job is failed at once with
    :data:`ENQUEUE_FAILED` (the portal and the commands show it) and ``False`` is returned."""
    if task.app.conf.task_always_eager:
        task.apply_async(args=(job_id, *args), kwargs=kwargs)
        return True
    JobRun.objects.filter(pk=job_id).update(task_name=task.name)
    try:
        task.apply_async(args=(job_id, *args), kwargs=kwargs)
    except broker_errors() as exc:
        logger.error("job %s: could not send %s: %r", job_id, task.name, exc)
        job_fail_unless_finished(job_id, error=str(ENQUEUE_FAILED))
        return False
    return True


def enqueue_on_commit(task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` only once the surrounding transaction commits (never on rollback).

    For a job task (made with :func:`core.jobs.tasks.job_task`, first argument the job id) a
    send the broker refuses fails the job at once instead of raising."""
    if getattr(task, "records_job", False):
        transaction.on_commit(lambda: send_job_task(task, *args, **kwargs))
    else:
        transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
