"""The one wrapper every Celery task that records a :class:`~core.models.JobRun` uses, and the
watchdog that beat runs.

::

    @job_task()
    def run_service_circle(job, *, task):          # the job is claimed and started
        return service_circle_run(job=job)         # the result finishes it; an error fails it

``job_task`` makes a Celery task (acknowledged late, re-queued when its worker is lost, results
ignored: the job row is the result) whose first argument is the job id. The wrapper:

- claims the job (:func:`~core.jobs.services.job_claim`): a queued job, or a running one whose
  worker stopped answering; a finished job, or one another live worker holds, is left alone;
- binds a request id for the audit trail (``task-<celery task id>``);
- beats every ``JOB_HEARTBEAT_SECONDS`` from a thread while the work runs (not when eager);
- finishes the job with the returned dict, or fails it with the error and re-raises.

``starts=False`` is for the parts of a job another task started (two-finds chunks): the job must
be running; they beat and fail it but leave finishing to whoever completes the set.
``finishes=False`` is for a coordinator that only plans and dispatches. ``create`` makes the job
when the task is called without one (beat's nightly runs), so scheduled runs show too; ``total``
is the number of steps its progress counts (else the work sets it).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from ..choices import JobStatus
from ..context import request_context
from ..models import JobRun
from . import services

logger = logging.getLogger("core.jobs")


class _Heartbeat:
    """Marks the job alive every ``interval`` seconds from a daemon thread."""

    def __init__(self, job_id: int, interval: float) -> None:
        self.job_id = job_id
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat")
        self._thread.daemon = True

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    services.job_heartbeat(self.job_id)
                except Exception:  # a database hiccup must not end the work it watches
                    logger.warning("job %s: heartbeat failed", self.job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)


def _failure_message(exc: BaseException) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return _(
            "The job took longer than the time limit (JOB_TASK_TIME_LIMIT) and was stopped; "
            "split it or raise the limit."
        )
    return repr(exc)


def run_job(
    task,
    job: JobRun,
    work: Callable[[], dict | Any],
    *,
    starts: bool = True,
    finishes: bool = True,
    total: int = 0,
) -> Any:
    """Run ``work`` as ``job``'s task: claim, heartbeat, finish or fail (see the module)."""
    if starts:
        if not services.job_claim(job, total=total):
            logger.info("job %s is %s or held by a live worker: nothing to do", job.pk, job.status)
            return None
    elif job.status != JobStatus.RUNNING:
        return None  # finished (or failed by another part): nothing to add
    interval = float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 30))
    eager = bool(getattr(task.request, "is_eager", False)) or task.request.id is None
    with request_context(f"task-{task.request.id}" if task.request.id else None):
        try:
            if eager or interval <= 0:
                result = work()
            else:
                with _Heartbeat(job.pk, interval):
                    result = work()
        except Exception as exc:
            services.job_fail_unless_finished(job.pk, error=_failure_message(exc))
            job.refresh_from_db()
            raise
        if finishes:
            services.job_finish(job, result=result)
    return result


def job_task(
    *,
    starts: bool = True,
    finishes: bool = True,
    create: Callable[[], JobRun] | None = None,
    total: int = 0,
    **options: Any,
):
    """Make ``fn(job, *args, task, **kwargs)`` a Celery task taking ``job_id`` first."""

    def decorate(fn: Callable[..., Any]):
        @functools.wraps(fn)
        def body(self, job_id: int | None = None, *args: Any, **kwargs: Any):
            if job_id is None:
                if create is None:
                    raise TypeError(f"{self.name} needs a job id")
                job = create()
            else:
                job = JobRun.objects.filter(pk=job_id).first()
                if job is None:
                    logger.warning("%s: job %s no longer exists", self.name, job_id)
                    return None
            return run_job(
                self,
                job,
                lambda: fn(job, *args, task=self, **kwargs),
                starts=starts,
                finishes=finishes,
                total=total,
            )

        task = shared_task(
            bind=True,
            acks_late=True,
            reject_on_worker_lost=True,
            ignore_result=True,
            **options,
        )(body)
        task.records_job = True
        return task

    return decorate


@shared_task(bind=True, acks_late=True, ignore_result=True)
def watchdog(self) -> dict[str, int]:
    """Beat, every minute: re-send or fail the jobs whose worker vanished
    (:func:`core.jobs.watchdog.scan`), and note that beat is alive."""
    from .watchdog import note_beat, scan

    with request_context(f"task-{self.request.id}" if self.request.id else None):
        note_beat()
        return scan()
