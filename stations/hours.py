"""Opening hours, pure: is a station open at a given moment (Asia/Shanghai local time)?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")

#: (weekday 0=Monday, opens, closes); closes < opens runs past midnight into the next day.
HoursRow = tuple[int, dt.time, dt.time]


def local(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Asia/Shanghai; a naive value is taken to be local already."""
    return moment.astimezone(LOCAL) if moment.tzinfo else moment


def is_open_at(*, is_24h: bool, rows: Iterable[HoursRow], moment: dt.datetime) -> bool:
    """Whether a station with these hours is open at ``moment``.

    A period ``opens ≤ t < closes`` on its weekday; an overnight period (``closes < opens``)
    is open from ``opens`` to midnight on its weekday and from midnight to ``closes`` on the
    next day (Sunday's overnight period ends on Monday).
    """
    if is_24h:
        return True
    now = local(moment)
    today, t = now.weekday(), now.time()
    yesterday = (today - 1) % 7
    for weekday, opens, closes in rows:
        overnight = closes < opens
        if weekday == today and (opens <= t < closes if not overnight else t >= opens):
            return True
        if weekday == yesterday and overnight and t < closes:
            return True
    return False
