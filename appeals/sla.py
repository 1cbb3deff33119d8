"""Due times in working time: the official calendar with holidays and make-up workdays (调休).

A working day is Monday–Friday unless the :class:`~appeals.models.Holiday` table says
otherwise (a holiday row takes a weekday off; a row with ``is_workday`` makes a weekend day a
working day). The table must hold every year the SLA walks through
(:class:`~appeals.models.HolidayYear`): a year without its row is imported from the
``chinese-calendar`` package on the spot, and where the package does not know it the SLA
raises :class:`CalendarYearMissing` — it never assumes a plain Monday–Friday year, which
would escalate appeals in the middle of the Spring Festival. Working hours are
``APPEALS_WORKDAY_START``–``APPEALS_WORKDAY_END`` local time (Asia/Shanghai), 08:30–17:30 by
default.

* :func:`add_working_hours` walks working periods: 4 working hours from Friday 16:00 end on
  Monday 11:30 (with no holiday between);
* :func:`add_working_days` gives the end of the working day ``n`` working days after the
  start's date: 3 working days from Friday 10:00 end on Wednesday 17:30;
* with ``round_the_clock`` (emergencies) both count clock time.

Each function reads the holiday rows of the range it needs in one query.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

#: Longest walk through the calendar (a safety bound against a table of only holidays).
MAX_DAYS = 400

logger = logging.getLogger("appeals.sla")


class CalendarYearMissing(Exception):
    """The holiday table lacks a year the SLA needs and chinese-calendar cannot supply it."""


def _clock(name: str, default: str) -> dt.time:
    return dt.time.fromisoformat(getattr(settings, name, default))


def workday_start() -> dt.time:
    return _clock("APPEALS_WORKDAY_START", "08:30")


def workday_end() -> dt.time:
    return _clock("APPEALS_WORKDAY_END", "17:30")


#: While :func:`preloaded` is active: every holiday row and SLA policy, read once.
_PRELOADED: contextvars.ContextVar[tuple | None] = contextvars.ContextVar(
    "appeals_sla_preloaded", default=None
)


@contextlib.contextmanager
def preloaded():
    """Read the holiday table and the SLA policies once for a batch of work (the demo's
    hundreds of backdated steps) instead of once per due time. Only for batches that do not
    change those tables meanwhile."""
    from .models import Holiday, HolidayYear, SLAPolicy

    overrides = dict(Holiday.objects.values_list("date", "is_workday"))
    years = set(HolidayYear.objects.values_list("year", flat=True))
    policies = {(p.category_id, p.urgency): p for p in SLAPolicy.objects.all()}
    token = _PRELOADED.set((overrides, policies, years))
    try:
        yield
    finally:
        _PRELOADED.reset(token)


@dataclass(frozen=True)
class Calendar:
    """The holiday rows of a range, ``{date: is_workday}``, and the years the table holds."""

    overrides: dict[dt.date, bool]
    years: set[int] | None = field(default=None)

    @classmethod
    def load(cls, start: dt.date, days: int = MAX_DAYS) -> Calendar:
        from .models import Holiday, HolidayYear

        cached = _PRELOADED.get()
        if cached is not None:
            return cls(cached[0], cached[2])
        rows = Holiday.objects.filter(
            date__gte=start, date__lte=start + dt.timedelta(days=days)
        ).values_list("date", "is_workday")
        years = HolidayYear.objects.filter(year__gte=start.year).values_list("year", flat=True)
        return cls(dict(rows), set(years))

    def is_workday(self, day: dt.date) -> bool:
        if self.years is not None and day.year not in self.years:
            self._add_year(day.year)
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5

    def _add_year(self, year: int) -> None:
        """Bring ``year`` into the table (chinese-calendar) and into this calendar."""
        from .models import Holiday

        loaded = ensure_year(year)
        self.years.add(year)
        if not loaded:
            return
        rows = Holiday.objects.filter(date__year=year).values_list("date", "is_workday")
        self.overrides.update(dict(rows))


def ensure_year(year: int) -> bool:
    """Make sure the holiday table holds ``year``: import it from chinese-calendar when it is
    missing. Where the package does not know it either: :class:`CalendarYearMissing`, unless
    ``APPEALS_CALENDAR_MISSING_YEAR`` is ``"weekdays"`` (the development default), which counts
    Monday–Friday for that year with an error logged each time — an explicit choice, never a
    silent one. Returns whether the table holds the year now."""
    from .models import HolidayYear
    from .services.holidays import CalendarYearUnavailable, holiday_year_import

    if HolidayYear.objects.filter(year=year).exists():
        return True
    try:
        holiday_year_import(actor="appeals.sla", year=year)
    except CalendarYearUnavailable as exc:
        if getattr(settings, "APPEALS_CALENDAR_MISSING_YEAR", "error") == "weekdays":
            logger.error("SLA calendar: no holidays for %s, counting Monday-Friday", year)
            return False
        logger.error("SLA calendar: no holidays for %s: %s", year, exc)
        raise CalendarYearMissing(str(exc)) from exc
    logger.warning("SLA calendar: the holidays of %s were missing and were imported", year)
    return True


def is_workday(day: dt.date) -> bool:
    return Calendar.load(day, 0).is_workday(day)


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def _at(day: dt.date, clock: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, clock))


def add_working_hours(
    start: dt.datetime,
    hours: float,
    *,
    round_the_clock: bool = False,
    calendar: Calendar | None = None,
) -> dt.datetime:
    """``start`` plus ``hours`` of working time (clock time with ``round_the_clock``)."""
    if round_the_clock:
        return start + dt.timedelta(hours=hours)
    local = _local(start)
    calendar = calendar or Calendar.load(local.date())
    left = dt.timedelta(hours=hours)
    day = local.date()
    opens, closes = workday_start(), workday_end()
    for _ in range(MAX_DAYS):
        if calendar.is_workday(day):
            begin = max(_at(day, opens), local)
            end = _at(day, closes)
            if begin < end:
                if begin + left <= end:
                    return begin + left
                left -= end - begin
        day += dt.timedelta(days=1)
    raise ValueError("No working time found in the calendar.")


def add_working_days(
    start: dt.datetime,
    days: int,
    *,
    round_the_clock: bool = False,
    calendar: Calendar | None = None,
) -> dt.datetime:
    """The end of the working day that lies ``days`` working days after ``start``'s date
    (``start`` plus ``days`` × 24 hours with ``round_the_clock``)."""
    if round_the_clock:
        return start + dt.timedelta(days=days)
    day = _local(start).date()
    calendar = calendar or Calendar.load(day)
    counted = 0
    for _ in range(MAX_DAYS):
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
            if counted >= days:
                return _at(day, workday_end())
    raise ValueError("No working day found in the calendar.")


# --- the policy of an appeal ---------------------------------------------------------------

#: Used when no SLAPolicy row matches (an empty table): normal appeals.
FALLBACK = {"dispatch_hours": 8, "sign_hours": 8, "reply_days": 5, "extension_days": 5}


@dataclass(frozen=True)
class Policy:
    dispatch_hours: int
    sign_hours: int
    reply_days: int
    extension_days: int
    round_the_clock: bool


def policy_for(category_id: int | None, urgency: str) -> Policy:
    """The SLA row for (category, urgency), else the urgency's default row, else a fallback
    (one query)."""
    from .models import SLAPolicy

    cached = _PRELOADED.get()
    if cached is not None:
        rows = {c: p for (c, u), p in cached[1].items() if u == urgency}
    else:
        match = Q(category__isnull=True) | Q(category_id=category_id)
        rows = {row.category_id: row for row in SLAPolicy.objects.filter(match, urgency=urgency)}
    row = rows.get(category_id) or rows.get(None)
    if row is None:
        return Policy(**FALLBACK, round_the_clock=urgency == "emergency")
    return Policy(
        row.dispatch_hours, row.sign_hours, row.reply_days, row.extension_days, row.round_the_clock
    )


def dispatch_due(policy: Policy, start: dt.datetime) -> dt.datetime:
    return add_working_hours(start, policy.dispatch_hours, round_the_clock=policy.round_the_clock)


def sign_due(policy: Policy, start: dt.datetime) -> dt.datetime:
    return add_working_hours(start, policy.sign_hours, round_the_clock=policy.round_the_clock)


def reply_due(policy: Policy, start: dt.datetime) -> dt.datetime:
    return add_working_days(start, policy.reply_days, round_the_clock=policy.round_the_clock)


def extension_due(policy: Policy, due: dt.datetime) -> dt.datetime:
    return add_working_days(due, policy.extension_days, round_the_clock=policy.round_the_clock)


def expected_reply_at(policy: Policy, received: dt.datetime) -> dt.datetime:
    """When a reply is expected for an appeal received at ``received``: dispatch, then the
    reply time (Open311's ``expected_datetime``)."""
    return reply_due(policy, dispatch_due(policy, received))
