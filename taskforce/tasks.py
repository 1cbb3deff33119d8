"""Celery tasks of the task force: thin and idempotent."""

from celery import shared_task

from core.context import request_context


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def escalate_overdue_tasks(self) -> int:
    """Beat task: escalate every open task past its escalation time to the task force's lead
    (each once, whatever the number of runs)."""
    from .services import escalate_overdue_tasks as scan

    with request_context(f"task-{self.request.id}" if self.request.id else None):
        return scan()
