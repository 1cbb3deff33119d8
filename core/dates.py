"""Calendar arithmetic the domain needs in several places: a term of three years, a probation of
one year, "within one month". Python's ``date.replace(year=...)`` fails on 29 February; these
land on the last day of a shorter month instead, as the party's own rules count."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (the last day of a shorter month)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by ``years`` years (29 February becomes 28 February)."""
    return add_months(day, 12 * years)
