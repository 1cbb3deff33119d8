"""The catalogue of the demo: lecturers and the course menu, created through the services
(audited)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from organizations.models import Department, Industry
from training import services
from training.choices import (
    CourseTopic,
    LecturerKind,
)
from training.models import (
    Course,
    Lecturer,
)

from .texts import BACKBONE, COURSES, TEACHERS


def _catalogue(actor: Any) -> tuple[list[Lecturer], list[Course]]:
    departments = {d.code: d for d in Department.objects.all()}
    lecturers = [
        services.lecturer_create(
            actor=actor,
            data={"name": name, "kind": LecturerKind.PARTY_SCHOOL, "title": title},
        )
        for name, title in TEACHERS
    ]
    for name, dept, title in BACKBONE:
        lecturers.append(
            services.lecturer_create(
                actor=actor,
                data={
                    "name": name,
                    "kind": LecturerKind.BACKBONE,
                    "department": departments.get(dept),
                    "title": title,
                },
            )
        )
    industries = list(Industry.objects.order_by("sort_order", "code"))
    by_code = {i.code: i for i in industries}
    teachers, backbone = lecturers[:5], lecturers[5:]
    courses = []
    for n, (topic, rows) in enumerate(COURSES.items()):
        for k, (title, hours, fmt) in enumerate(rows):
            pool = teachers if topic in (CourseTopic.POLITICAL_THEORY,) else backbone
            chosen = [pool[(n * 3 + k) % len(pool)], pool[(n * 3 + k + 1) % len(pool)]]
            audience = [i for i in industries if i.code in title_industries(title)] or list(
                by_code.values()
            )
            courses.append(
                services.course_create(
                    actor=actor,
                    data={
                        "title": title,
                        "topic": topic,
                        "format": fmt,
                        "hours": Decimal(hours),
                        "description": f"{title}（新就业群体党校课程菜单）",
                        "lecturers": chosen,
                        "industries": audience,
                    },
                )
            )
    return lecturers, courses


def title_industries(title: str) -> tuple[str, ...]:
    """The audience a course title names (all industries when it names none)."""
    keys = (
        (("外卖", "骑手", "即时配送", "电动自行车"), "food_delivery"),
        (("快递",), "express"),
        (("货车", "货运", "道路运输"), "freight"),
        (("网约车",), "ride_hailing"),
        (("主播", "直播"), "live_streaming"),
    )
    return tuple(code for words, code in keys if any(w in title for w in words))
