"""Job runs with progress, signs of life and a watchdog (see :mod:`core.jobs.services`,
:mod:`core.jobs.tasks` for the one task wrapper, :mod:`core.jobs.watchdog`)."""

from .services import (
    ENQUEUE_FAILED,
    enqueue_on_commit,
    job_create,
    job_fail,
    job_finish,
    job_progress,
    job_start,
)

__all__ = [
    "ENQUEUE_FAILED",
    "enqueue_on_commit",
    "job_create",
    "job_fail",
    "job_finish",
    "job_progress",
    "job_start",
]
