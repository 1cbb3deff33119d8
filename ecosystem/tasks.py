"""Celery tasks of the ecosystem app: thin, idempotent, calling the services."""

from celery import shared_task

from core.context import request_context


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def escalate_overdue_whistles(self) -> int:
    """Beat task (every 5 minutes): escalate every department assignment of a whistle that is
    past its working-time deadline. Running it twice escalates each once."""
    from .whistles.services import escalate_overdue_whistles as scan

    with request_context(f"task-{self.request.id}" if self.request.id else None):
        return scan()
