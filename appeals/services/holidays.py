"""The official calendar from the ``chinese-calendar`` package into the holiday table.

:func:`holiday_year_import` writes one year's holidays and make-up workdays (调休) as
:class:`~appeals.models.Holiday` rows and marks the year loaded (:class:`HolidayYear`). Rows
staff edited in the admin for dates the package does not list are kept; dates the package
lists are set as it says. ``manage.py import_holidays`` runs it for the coming year (yearly,
and beat tries each month from November), and the SLA calls it for a year it meets without
rows (``appeals.sla``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction

from ..models import Holiday, HolidayYear

logger = logging.getLogger("appeals.holidays")


class CalendarYearUnavailable(Exception):
    """The installed ``chinese-calendar`` has no data for the year (the State Council
    publishes the next year's schedule in autumn; a package release follows)."""


def package_years() -> range:
    """The years the installed ``chinese-calendar`` knows."""
    import chinese_calendar

    days = [*chinese_calendar.holidays, *chinese_calendar.workdays]
    return range(min(days).year, max(days).year + 1)


def official_days(year: int) -> list[tuple[dt.date, str, bool]]:
    """``(date, name, is_workday)`` for every holiday on a weekday or weekend and every
    make-up workday of ``year``, from the package; :class:`CalendarYearUnavailable` when the
    package does not know the year."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday as Festival

    if year not in package_years():
        raise CalendarYearUnavailable(
            _(
                "The installed chinese-calendar package has no official calendar for %(year)s: "
                "upgrade it, or enter the year's holidays in the admin and add the year as "
                "entered by hand."
            )
            % {"year": year}
        )
    chinese = {f.value: f.chinese for f in Festival}
    out = []
    for day, name in sorted(chinese_calendar.holidays.items()):
        if day.year == year:
            out.append((day, chinese.get(name, name or ""), False))
    for day, name in sorted(chinese_calendar.workdays.items()):
        if day.year == year:
            out.append((day, f"{chinese.get(name, name or '')}调休", True))
    return sorted(out)


def holiday_year_import(*, actor, year: int) -> int:
    """Load ``year`` from the package into the holiday table; returns the rows written.
    Weekend holidays are stored too (they change nothing but the names on the admin list)."""
    days = official_days(year)
    with transaction.atomic():
        for day, name, is_workday in days:
            Holiday.objects.update_or_create(
                date=day, defaults={"name": name[:32], "is_workday": is_workday}
            )
        marker, created = HolidayYear.objects.update_or_create(
            year=year, defaults={"source": HolidayYear.Source.PACKAGE}
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=marker,
            verb="import holidays",
            changes={"holidays": [None, len(days)]},
        )
    logger.info("holidays of %s imported from chinese-calendar (%s rows)", year, len(days))
    return len(days)
