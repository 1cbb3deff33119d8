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


@shared_task(bind=True, acks_late=True)
def import_next_year_holidays(self) -> int:
    """Beat task (monthly from November): the coming year's official calendar from
    chinese-calendar once the installed package has it; 0 rows (and an error logged by the
    check) until then. Idempotent."""
    from django.utils import timezone

    from .models import HolidayYear
    from .services.holidays import CalendarYearUnavailable, holiday_year_import

    year = timezone.localdate().year + 1
    if HolidayYear.objects.filter(year=year).exists():
        return 0
    with request_context(f"task-{self.request.id}" if self.request.id else None):
        try:
            return holiday_year_import(actor="appeals.tasks", year=year)
        except CalendarYearUnavailable:
            import logging

            logging.getLogger("appeals.holidays").error(
                "The official calendar of %s is not in chinese-calendar yet: upgrade the "
                "package or enter the year in the admin.",
                year,
            )
            return 0


@shared_task(bind=True, acks_late=True)
def anonymize_past_retention(self) -> int:
    """Beat task (nightly): appeals archived longer ago than the public notice promises lose
    their personal information (``services.retention``). Idempotent."""
    from .services.retention import appeals_anonymize_past_retention

    with request_context(f"task-{self.request.id}" if self.request.id else None):
        return appeals_anonymize_past_retention()
