"""Small builders for the organization-life tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from branchlife.choices import MeetingKind, MeetingStatus
from branchlife.models import Meeting

TZ = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int = 10, hour: int = 19) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=TZ)


def meeting(organization, kind=MeetingKind.COMMITTEE, *, when, held=True, **kw) -> Meeting:
    """A meeting row written directly (the fixture, not the behaviour under test)."""
    return Meeting.objects.create(
        organization=organization,
        kind=kind,
        title=kw.pop("title", str(MeetingKind(kind).label)),
        starts_at=when,
        status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
        minutes="记录" if held else "",
        **kw,
    )
