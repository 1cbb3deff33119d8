"""System checks of the appeals app: the SLA calendar must hold the coming year."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone


@checks.register(checks.Tags.database, deploy=True)
def check_next_year_in_holiday_table(app_configs=None, databases=None, **kwargs):
    """``appeals.W001`` when the holiday table lacks next year (the SLA would have to import
    it on the spot, or refuse where chinese-calendar does not know it yet). A deployment check
    on the database: ``manage.py check --deploy --database default`` runs it (the operator's
    checklist); ``migrate`` does not, so a development database migrates without warnings
    while the package lacks a year that has not begun."""
    from .models import HolidayYear
    from .services.holidays import package_years

    if not databases:
        return []
    next_year = timezone.localdate().year + 1
    try:
        if HolidayYear.objects.filter(year=next_year).exists():
            return []
    except DatabaseError:  # no database yet, or before migrate: nothing to say
        return []
    if next_year in package_years():
        hint = f"Run `python manage.py import_holidays {next_year}`."
    else:
        hint = (
            "Upgrade the chinese-calendar package once it has the State Council's schedule for "
            f"{next_year} and run `python manage.py import_holidays {next_year}`, or enter the "
            "year's holidays and make-up workdays in the admin and add the year there."
        )
    return [
        checks.Warning(
            f"The holiday table has no official calendar for {next_year}: due times of "
            "appeals that reach into that year cannot be counted in working days.",
            hint=hint,
            id="appeals.W001",
        )
    ]
