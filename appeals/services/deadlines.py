"""The appeals' SLA engine for other cases too: working-time deadlines on the official calendar,
the periodic overdue scan and the escalation notice.

Appeals use them for their own steps; other apps on the same floor (the ecosystem's whistles:
a department must report and resolve in time) reach them here, through ``appeals.services``,
instead of copying the calendar and the scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from .. import sla
from ..choices import InboxKind
from .steps import notify


def working_deadline(
    start: dt.datetime,
    *,
    hours: float = 0,
    days: int = 0,
    round_the_clock: bool = False,
) -> dt.datetime:
    """``start`` plus ``hours`` working hours, or the end of the working day ``days`` working
    days after ``start`` (holidays and make-up workdays of the official calendar counted);
    clock time with ``round_the_clock``. Exactly one of ``hours`` and ``days``."""
    if bool(hours) == bool(days):
        raise ValueError("Give exactly one of hours and days.")
    if hours:
        return sla.add_working_hours(start, hours, round_the_clock=round_the_clock)
    return sla.add_working_days(start, days, round_the_clock=round_the_clock)


def scan_overdue(ids: Iterable[int], escalate: Callable[[int], bool]) -> int:
    """The periodic scan's loop: ``escalate(id)`` for each overdue id (each call claims its row
    and says whether it escalated); how many did."""
    return sum(1 for pk in ids if escalate(pk))


def notify_escalation(*, organization, text: str, at: dt.datetime | None = None) -> None:
    """An "escalated to you" message in the organization's portal inbox, once the transaction
    commits."""
    notify(kind=InboxKind.ESCALATED, text=text, organization=organization, at=at)
