"""Celery tasks of the appeals app: thin, idempotent, calling the services."""

from celery import shared_task

from core.context import request_context


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def escalate_overdue(self) -> int:
    """Beat task (every 5 minutes): escalate every appeal whose current step is overdue.
    Running it twice escalates each appeal once (the services claim each row)."""
    from .services import escalate_overdue as scan

    with request_context(f"task-{self.request.id}" if self.request.id else None):
        return scan()
