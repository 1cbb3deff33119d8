"""``manage.py coverage_rollup [--day D] [--backfill-months N | --start D --end D [--daily]]``:
compute coverage snapshots now, in this process (the portal and the API queue the same work as
a Celery job)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.commands import OperatorCommand
from coverage import services


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(OperatorCommand, BaseCommand):
    # A day's rows are replaced whole in one transaction: a rerun gives the same rows.
    database_failure_hint = (
        "Days already written are whole (each is replaced in one transaction); run the same "
        "command again: it rewrites the same rows."
    )
    help = (
        "Compute the coverage snapshot of a day (default: today) and, optionally, backfill a "
        "range of past days (month ends by default, every day with --daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", type=_date, help="Day to compute (default: today).")
        parser.add_argument(
            "--backfill-months",
            type=int,
            default=0,
            help="Also backfill the month ends of the last N months before the day.",
        )
        parser.add_argument("--start", type=_date, help="Backfill from this day.")
        parser.add_argument("--end", type=_date, help="Backfill to this day (default: the day).")
        parser.add_argument("--daily", action="store_true", help="Backfill every day.")

    def handle(self, *args, day, backfill_months, start, end, daily, **options):
        day = day or timezone.localdate()
        if backfill_months < 0:
            raise CommandError("--backfill-months cannot be negative.")
        if backfill_months and not start:
            start = (day.replace(day=1) - dt.timedelta(days=31 * backfill_months)).replace(day=1)
        started = time.perf_counter()
        if start:
            end = end or day - dt.timedelta(days=1)
            if end < start:
                raise CommandError("The backfill ends before it starts.")
            days = None if daily else services.month_ends(start, end)
            rows = services.backfill(start=start, end=end, days=days)
            self.stdout.write(f"Backfilled {start} to {end}: {rows} snapshot rows.")
        rows = services.snapshot_day(day=day)
        self.stdout.write(
            self.style.SUCCESS(
                f"Coverage snapshot of {day}: {rows} rows ({time.perf_counter() - started:.1f} s)."
            )
        )
