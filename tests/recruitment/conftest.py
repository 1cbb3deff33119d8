"""A branch with full members to vote, introduce and guide, and helpers to walk a candidate
through the pipeline with dates in the past."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from members.choices import MemberStatus
from recruitment import services
from recruitment.choices import StepCode

from .. import factories as f

C = StepCode


@dataclass
class Branch:
    members: list[Any]  # 5 full members of the delivery branch
    probationary: Any


@pytest.fixture
def branch(world) -> Branch:
    members = [
        f.PartyMemberFactory(organization=world.branch_delivery, region=world.district_a)
        for _ in range(5)
    ]
    probationary = f.PartyMemberFactory(
        organization=world.branch_delivery,
        status=MemberStatus.PROBATIONARY,
        joined_on=timezone.localdate() - dt.timedelta(days=100),
    )
    return Branch(members, probationary)


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def apply(world, *, actor=None, id_n: int = 1, on: dt.date | None = None, **extra):
    data = {
        "name": "王小明",
        "id_number": f.resident_id_for(id_n),
        "phone": f.phone_for(900 + id_n),
        "organization": world.branch_delivery,
        "applied_on": on or days_ago(3 * 365),
        **extra,
    }
    return services.candidate_create(actor=actor or world.secretary_delivery, data=data)


#: (step, days after application, details) for a candidate applying 3 years ago.
def plan(branch: Branch) -> list[tuple[str, int, dict]]:
    ids = [m.pk for m in branch.members]
    vote = {"voting_members": 5, "present": 4, "in_favour": 4}
    return [
        (C.TALK, 20, {}),
        (C.RECOMMENDATION, 60, {"method": "league"}),
        (C.ACTIVIST_FILED, 70, {}),
        (C.CONTACTS, 75, {"contacts": ids[:2]}),
        (C.ACTIVIST_ASSESSMENT, 240, {}),
        (C.ACTIVIST_ASSESSMENT, 420, {}),
        (C.TARGET_DECIDED, 430, {}),
        (C.TARGET_FILED, 435, {}),
        (C.INTRODUCERS, 440, {"introducers": ids[2:4]}),
        (C.POLITICAL_REVIEW, 450, {}),
        (C.TRAINING, 460, {"hours": "24", "days": 3}),
        (C.COMMITTEE_REVIEW, 470, {}),
        (C.PRE_REVIEW, 480, {}),
        (C.VOLUNTEER_FORM, 485, {}),
        (C.ADMISSION_VOTE, 490, vote),
        (C.UPPER_TALK, 500, {}),
        (C.ADMISSION_APPROVAL, 520, {}),
        (C.ADMISSION_FILED, 525, {}),
        (C.PLACED, 526, {}),
        (C.OATH, 530, {}),
        (C.PROBATION_ASSESSMENT, 700, {}),
        (C.FULL_APPLICATION, 850, {}),
        (C.FULL_VOTE, 860, vote),
        (C.FULL_APPROVAL, 870, {}),
        (C.ARCHIVED, 880, {}),
    ]


def walk(candidate, branch: Branch, actor, *, until: str | None = None):
    """Record the plan's steps up to (not including) ``until``."""
    for code, offset, details in plan(branch):
        if code == until:
            return candidate
        services.step_record(
            actor=actor,
            candidate=candidate,
            step=code,
            on=candidate.applied_on + dt.timedelta(days=offset),
            **details,
        )
        candidate.refresh_from_db()
    return candidate
