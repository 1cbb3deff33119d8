"""Celery tasks of the members app: thin, idempotent, ``acks_late``."""

from celery import shared_task

from core.context import request_context


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def expire_transfer_letters(self) -> dict:
    """Mark issued transfer letters past their validity as expired; safe to run twice."""
    from .services.people import letters_expire

    with request_context(f"task-{self.request.id}" if self.request.id else None):
        return {"expired": letters_expire()}
