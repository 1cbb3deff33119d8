"""The whistles' time limits, in working time on the appeals' official calendar.

A department reports (acknowledges, 报到) within ``ECOSYSTEM_WHISTLE_REPORT_HOURS`` working
hours of being assigned (8: one working day) and resolves within the category's working days
(``ECOSYSTEM_WHISTLE_RESOLVE_DAYS`` overrides the table below). After an escalation the
supervising organization gives ``ECOSYSTEM_WHISTLE_SUPERVISION_DAYS`` working days (3) more.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from appeals.services import working_deadline

from .choices import WhistleCategory

C = WhistleCategory
RESOLVE_DAYS: dict[str, int] = {
    C.FINANCING: 15,
    C.APPROVAL: 10,
    C.TALENT: 20,
    C.LAND: 30,
    C.ENERGY: 10,
    C.LOGISTICS: 10,
    C.MARKET: 15,
    C.OTHER: 10,
}


def report_hours() -> int:
    return int(getattr(settings, "ECOSYSTEM_WHISTLE_REPORT_HOURS", 8))


def resolve_days(category: str) -> int:
    table = {**RESOLVE_DAYS, **getattr(settings, "ECOSYSTEM_WHISTLE_RESOLVE_DAYS", {})}
    return int(table.get(category, RESOLVE_DAYS[C.OTHER]))


def supervision_days() -> int:
    return int(getattr(settings, "ECOSYSTEM_WHISTLE_SUPERVISION_DAYS", 3))


def report_due(start: dt.datetime) -> dt.datetime:
    return working_deadline(start, hours=report_hours())


def resolve_due(category: str, start: dt.datetime) -> dt.datetime:
    return working_deadline(start, days=resolve_days(category))


def supervision_due(start: dt.datetime) -> dt.datetime:
    return working_deadline(start, days=supervision_days())
