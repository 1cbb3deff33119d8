"""Celery tasks of the members app: thin, take ids, idempotent, acknowledged late. The job
lifecycle (claim, heartbeat, fail) is :func:`core.jobs.tasks.job_task`'s."""

from celery import group, shared_task

from core.context import request_context
from core.jobs.tasks import job_task
from core.models import JobRun


def _context(task):
    return request_context(f"task-{task.request.id}" if task.request.id else None)


def _set_parameters(job: JobRun, **values) -> None:
    """Add ``values`` to the job's parameters without rewriting the rest of the row (chunks
    write the result and progress of the same row meanwhile)."""
    job.parameters = {**job.parameters, **values}
    JobRun.objects.filter(pk=job.pk).update(parameters=job.parameters)


@job_task(finishes=False)
def run_two_finds(job: JobRun, *, task) -> int:
    """Coordinator: plan the job's chunks, record the plan, then dispatch one chunk task per
    range not done yet (a group, so several workers share the run); the chunk completing the
    set finishes the job. Returns the number of chunks dispatched.

    It tells *planned* (``parameters["plan"]``) from *dispatched* (``dispatched_attempt`` equal
    to the job's ``attempt``): a coordinator that died before recording its plan plans again
    (nothing was dispatched); one that died before dispatching dispatches; a re-send by the
    watchdog (a new attempt, the workers vanished) dispatches the chunks not done again."""
    from .services.two_finds import two_finds_finish, two_finds_plan

    plan = job.parameters.get("plan")
    if plan is None:
        plan = [list(r) for r in two_finds_plan(job=job)]
        if not plan:
            two_finds_finish(job=job)
            return 0
        _set_parameters(job, plan=plan)
    elif job.parameters.get("dispatched_attempt") == job.attempt:
        return 0  # a redelivered coordinator: this attempt's chunks are already on their way
    done = set((job.result or {}).get("chunks_done", []))
    pending = [(i, first, last) for i, (first, last) in enumerate(plan) if i not in done]
    if pending:
        group(
            two_finds_chunk.s(job.pk, index, first, last) for index, first, last in pending
        ).apply_async()
    _set_parameters(job, dispatched_attempt=job.attempt)
    return len(pending)


@job_task(starts=False, finishes=False)
def two_finds_chunk(job: JobRun, index: int, first_pk: int, last_pk: int, *, task) -> dict | None:
    """Match one range of workers (ids only in the arguments; safe to run twice)."""
    from .services.two_finds import two_finds_chunk_once

    if index in (job.result or {}).get("chunks_done", []):
        return None  # a redelivered or re-dispatched chunk that already counted
    return two_finds_chunk_once(job=job, index=index, first_pk=first_pk, last_pk=last_pk)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def expire_transfer_letters(self) -> dict:
    """Mark issued transfer letters past their validity as expired; safe to run twice."""
    from .services.people import letters_expire

    with _context(self):
        return {"expired": letters_expire()}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def two_finds_deferred(self) -> int | None:
    """Queue the two-finds run that changes made during the debounce window asked for."""
    from .services.two_finds.auto import deferred_run

    with _context(self):
        job = deferred_run()
        return job.pk if job else None


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def two_finds_nightly(self) -> int | None:
    """The nightly two-finds run (beat): catches any change no automatic run read."""
    from .services.two_finds.auto import nightly_run

    with _context(self):
        job = nightly_run()
        return job.pk if job else None


@shared_task(bind=True, acks_late=True)
def anonymize_past_retention(self) -> int:
    """Beat task (nightly): self-reports whose case closed longer ago than the public notice
    promises lose their personal information (``services.retention``). Idempotent."""
    from .services.retention import claims_anonymize_past_retention

    with _context(self):
        return claims_anonymize_past_retention()
