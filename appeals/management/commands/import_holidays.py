"""``python manage.py import_holidays [YEAR ...]``: official holidays and make-up workdays (调休)
from the chinese-calendar package into the holiday table (appeals.services.holidays).

Without a year: the current and the coming year. Run it each year once the State Council has
published the next year's schedule and chinese-calendar has been upgraded (beat tries every
month from November; ``manage.py check --database default`` and ``migrate`` warn while the
coming year is missing)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from appeals.services.holidays import CalendarYearUnavailable, holiday_year_import
from core.commands import OperatorCommand


class Command(OperatorCommand, BaseCommand):
    help = "Import official holidays and make-up workdays from chinese-calendar."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="Years (default: this and next).")

    def handle(self, *args, **options):
        this_year = timezone.localdate().year
        years = options["years"] or [this_year, this_year + 1]
        missing = []
        for year in years:
            if not 1900 <= year <= 2999:
                raise CommandError(f"{year} is not a calendar year.")
            try:
                rows = holiday_year_import(actor="manage.py import_holidays", year=year)
            except CalendarYearUnavailable as exc:
                missing.append(str(exc))
                continue
            self.stdout.write(f"{year}: {rows} holidays and make-up workdays imported.")
        if missing:
            raise CommandError(" ".join(missing))
