"""Small builders for training tests (through the services, as the city-wide staff)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from tests import factories as f
from training import services
from training.choices import CourseTopic, DesignationKind, LecturerKind, OutreachKind

_n = itertools.count(1)


def make_class(world, organizer=None, region=None, *, capacity: int = 30, **extra):
    today = timezone.localdate()
    return services.training_class_create(
        actor=world.staff,
        data={
            "name": f"培训班{next(_n)}",
            "organizer": organizer or world.committee_delivery,
            "region": region or world.district_a,
            "starts_on": today - dt.timedelta(days=5),
            "ends_on": today + dt.timedelta(days=5),
            "place": "党群服务中心",
            "capacity": capacity,
            **extra,
        },
    )


def make_session(world, training_class, *, days_ago: float = 0, hours: float = 2):
    starts = timezone.now() - dt.timedelta(days=days_ago, minutes=30)
    return services.session_create(
        actor=world.staff,
        data={
            "training_class": training_class,
            "title": f"第{next(_n)}讲",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=hours),
        },
    )


def make_lecturer(world, **extra):
    return services.lecturer_create(
        actor=world.staff,
        data={"name": f"讲师{next(_n)}", "kind": LecturerKind.BACKBONE, **extra},
    )


def make_course(world, **extra):
    return services.course_create(
        actor=world.staff,
        data={
            "title": f"课程{next(_n)}",
            "topic": CourseTopic.SAFETY,
            "hours": Decimal("1.5"),
            **extra,
        },
    )


def make_member(organization, **extra):
    return f.PartyMemberFactory(organization=organization, **extra)


def make_lesson(world, organization=None, *, audience: int = 20, given_on=None):
    return services.party_lesson_create(
        actor=world.staff,
        data={
            "organization": organization or world.branch_delivery,
            "title": f"党课{next(_n)}",
            "speaker_name": "王书记",
            "given_on": given_on or timezone.localdate(),
            "audience_count": audience,
        },
    )


def make_event(world, organizer=None, industry=None, region=None, *, audience=50, **extra):
    return services.outreach_event_create(
        actor=world.staff,
        data={
            "kind": OutreachKind.TOURING_LECTURE,
            "title": f"宣讲{next(_n)}",
            "organizer": organizer or world.committee_delivery,
            "speaker_name": "李讲师",
            "industry": industry or world.delivery,
            "region": region or world.district_a,
            "held_on": timezone.localdate(),
            "audience_count": audience,
            **extra,
        },
    )


def make_designation(world, holder, organization, **extra):
    return services.designation_create(
        actor=world.staff,
        data={
            "kind": DesignationKind.PIONEER_POST,
            "title": f"党员先锋岗{next(_n)}",
            "holder": holder,
            "organization": organization,
            "starts_on": timezone.localdate(),
            **extra,
        },
    )


def attend(world, worker, sessions) -> None:
    """``worker`` checks in at each of ``sessions`` at its start (entered by the city staff)."""
    for session in sessions:
        services.attendance_check_in(
            actor=world.staff,
            session=session,
            worker=worker,
            code=None,
            channel="portal",
            at=session.starts_at,
        )
