"""Celery tasks of the grid: thin, idempotent, calling the services."""

from celery import shared_task

from core.context import request_context


@shared_task(bind=True, acks_late=True)
def expire_tasks(self) -> int:
    """Beat task (every 10 minutes): tasks whose window ended expire; open invitations and
    claims without proof with them. Running it twice expires each task once."""
    from .services import tasks_expire

    with request_context(f"task-{self.request.id}" if self.request.id else None):
        return tasks_expire()


@shared_task(bind=True, acks_late=True)
def expire_points(self) -> int:
    """Beat task (1 January): points older than ``GRID_POINTS_EXPIRY_YEARS`` and not spent
    expire. A second run the same day finds nothing left to expire."""
    from .services import points_expire

    with request_context(f"task-{self.request.id}" if self.request.id else None):
        return points_expire()
