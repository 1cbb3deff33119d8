"""Job runs: a task records its progress so the portal can draw a progress bar."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from .choices import JobStatus
from .models import JobRun


def job_create(*, actor, kind: str, parameters: dict[str, Any] | None = None) -> JobRun:
    """A queued job run; the task that executes it is queued by the caller on commit."""
    return JobRun.objects.create(
        kind=kind,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        parameters=parameters or {},
    )


def job_start(job: JobRun, *, total: int = 0) -> None:
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.progress_total = total
    job.progress_done = 0
    job.save(update_fields=["status", "started_at", "progress_total", "progress_done"])


def job_progress(job: JobRun, *, done: int) -> None:
    JobRun.objects.filter(pk=job.pk).update(progress_done=done)
    job.progress_done = done


def job_finish(job: JobRun, *, result: dict[str, Any]) -> None:
    job.status = JobStatus.SUCCEEDED
    job.result = result
    job.progress_done = job.progress_total
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "progress_done", "finished_at"])


def job_fail(job: JobRun, *, error: str) -> None:
    job.status = JobStatus.FAILED
    job.error = error[:4000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def enqueue_on_commit(task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` only once the surrounding transaction commits (never on rollback)."""
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
