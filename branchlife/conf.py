"""The rules that are settings: meeting frequencies and the dues rates.

Override in ``settings.py``:

- ``BRANCHLIFE_MEETING_FREQUENCIES``: ``{meeting kind: months per period}`` (1 monthly, 3
  quarterly, 12 yearly); a kind left out is not required.
- ``BRANCHLIFE_DUES_BRACKETS``: ``{category: [(upper bound of monthly income or None, rate)]}``;
  the rate applies to the whole declared income (the party's rule, not progressive).
- ``BRANCHLIFE_DUES_FIXED``: ``{category: fixed monthly amount}`` for the categories that pay
  a fixed sum (students, the unemployed, farmers).
- ``BRANCHLIFE_BRANCH_KINDS``: the organization kinds that hold these meetings.
- ``BRANCHLIFE_MEETING_MAX_PHOTOS``: how many photos a meeting may keep.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from .choices import DuesCategory, MeetingKind

DEFAULT_FREQUENCIES: dict[str, int] = {
    MeetingKind.GENERAL_MEETING: 3,
    MeetingKind.COMMITTEE: 1,
    MeetingKind.GROUP: 1,
    MeetingKind.LESSON: 3,
    MeetingKind.THEME_DAY: 1,
    MeetingKind.LIFE_MEETING: 12,
    MeetingKind.EVALUATION: 12,
}

DEFAULT_BRACKETS: dict[str, list[tuple[Decimal | None, Decimal]]] = {
    DuesCategory.EMPLOYED: [
        (Decimal("3000"), Decimal("0.005")),
        (Decimal("5000"), Decimal("0.01")),
        (Decimal("10000"), Decimal("0.015")),
        (None, Decimal("0.02")),
    ],
    DuesCategory.RETIREE: [
        (Decimal("5000"), Decimal("0.005")),
        (None, Decimal("0.01")),
    ],
}

DEFAULT_FIXED: dict[str, Decimal] = {
    DuesCategory.STUDENT: Decimal("0.20"),
    DuesCategory.UNEMPLOYED: Decimal("0.20"),
    DuesCategory.FARMER: Decimal("0.20"),
}

DEFAULT_BRANCH_KINDS = ("branch", "joint_branch", "mobile_branch")

DEFAULT_MEETING_MAX_PHOTOS = 9


def meeting_frequencies() -> dict[str, int]:
    return dict(getattr(settings, "BRANCHLIFE_MEETING_FREQUENCIES", DEFAULT_FREQUENCIES))


def dues_brackets() -> dict[str, list[tuple[Decimal | None, Decimal]]]:
    raw = getattr(settings, "BRANCHLIFE_DUES_BRACKETS", DEFAULT_BRACKETS)
    return {
        k: [(None if b is None else Decimal(str(b)), Decimal(str(r))) for b, r in v]
        for k, v in raw.items()
    }


def dues_fixed() -> dict[str, Decimal]:
    raw = getattr(settings, "BRANCHLIFE_DUES_FIXED", DEFAULT_FIXED)
    return {k: Decimal(str(v)) for k, v in raw.items()}


def branch_kinds() -> tuple[str, ...]:
    return tuple(getattr(settings, "BRANCHLIFE_BRANCH_KINDS", DEFAULT_BRANCH_KINDS))


def meeting_max_photos() -> int:
    return int(getattr(settings, "BRANCHLIFE_MEETING_MAX_PHOTOS", DEFAULT_MEETING_MAX_PHOTOS))
