"""Small deterministic helpers of the training demo: names, days, times and check-in codes."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from core.defaults import CODE_ALPHABET, CODE_LENGTH
from organizations.choices import RegionLevel
from organizations.models import Region
from training.models import (
    Session,
)

from .texts import GIVEN, SURNAMES

SH = ZoneInfo("Asia/Shanghai")


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _day_in_year(rng: random.Random, year: int, last: dt.date) -> dt.date:
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((last - start).days + 1))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


def _codes(rng: random.Random, n: int) -> list[str]:
    taken = set(Session.objects.values_list("check_in_code", flat=True))
    out: list[str] = []
    while len(out) < n:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            out.append(code)
    return out


def _districts() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith="3204"))
