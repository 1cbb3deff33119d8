"""Training placed in the shared world: a course menu, and two classes —

- ``class_d`` organized by the delivery committee, held in district A, 3 places, five
  sessions (the last one running now), completion at 4/5;
- ``class_e`` organized by the express committee, held in district B, one session now.

The delivery secretary sees class_d, the express secretary and the district-B officer see
class_e, city-wide staff see both, the partner sees neither (it checks in with the code).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from training import services
from training.choices import CourseTopic, LecturerKind


@dataclass
class Training:
    lecturer: Any
    course: Any
    class_d: Any
    class_e: Any
    sessions_d: list  # five, oldest first; the last is running now
    session_e: Any


def session_times(days_ago: float, *, hours: float = 2) -> dict:
    starts = timezone.now() - dt.timedelta(days=days_ago, minutes=30)
    return {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=hours)}


@pytest.fixture
def training(world) -> Training:
    staff = world.staff
    lecturer = services.lecturer_create(
        actor=staff, data={"name": "陈红", "kind": LecturerKind.PARTY_SCHOOL, "title": "副教授"}
    )
    course = services.course_create(
        actor=staff,
        data={
            "title": "习近平新时代中国特色社会主义思想概论",
            "topic": CourseTopic.POLITICAL_THEORY,
            "hours": Decimal("2.0"),
            "lecturers": [lecturer],
            "industries": [world.delivery],
        },
    )
    today = timezone.localdate()
    class_d = services.training_class_create(
        actor=staff,
        data={
            "name": "外卖骑手党员培训班",
            "organizer": world.committee_delivery,
            "region": world.district_a,
            "starts_on": today - dt.timedelta(days=10),
            "ends_on": today + dt.timedelta(days=10),
            "place": "天宁区党群服务中心",
            "capacity": 3,
            "courses": [course],
        },
    )
    sessions_d = [
        services.session_create(
            actor=staff,
            data={"training_class": class_d, "course": course, **session_times(d)},
        )
        for d in (4, 3, 2, 1, 0)
    ]
    class_e = services.training_class_create(
        actor=staff,
        data={
            "name": "快递小哥安全培训班",
            "organizer": world.committee_express,
            "region": world.district_b,
            "starts_on": today - dt.timedelta(days=1),
            "ends_on": today + dt.timedelta(days=1),
            "online_url": "https://learn.example.org/class/e",
            "capacity": 30,
        },
    )
    session_e = services.session_create(
        actor=staff, data={"training_class": class_e, "title": "交通安全", **session_times(0)}
    )
    return Training(lecturer, course, class_d, class_e, sessions_d, session_e)
