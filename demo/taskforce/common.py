"""What the task force's demo parts share: the units, their staff users, names and documents."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from core.pii import set_indexes
from demo.documents import demo_pdf
from organizations.choices import GrantKind
from organizations.models import Department, ScopeGrant
from organizations.roles import MEMBER_UNIT_STAFF
from taskforce.models import (
    MemberUnit,
    UnitContact,
)

from . import data

UNIT_CODES = ("cyberspace", "market_regulation", "postal", "transport", "hrss", "trade_unions")
LEAD_CODE = "org"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国志红文斌宇浩凯晨"


#: The last line of every demo document.
DEMO_LINE = "（演示数据，由 seed_demo 生成）"


def with_pdf(record, lines: list[str]):
    """``record`` (a meeting document or research output, not saved yet) with a one-page PDF
    of its title and ``lines`` in the private storage, as an upload would leave it."""
    record.file.save(record.file_name, ContentFile(demo_pdf(record.title, lines)), save=False)
    record.content_type = "application/pdf"
    return record


@dataclass
class TaskforceResult:
    units: int
    meetings: int
    tasks: int
    overdue: int
    escalated: int
    measures: int
    reports: int
    cadres: int
    groups: int
    visits: int
    interviews: int
    demands: int
    appeals: int


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def departments() -> tuple[dict[str, Department], Department]:
    units = {d.code: d for d in Department.objects.filter(code__in=UNIT_CODES)}
    for code in UNIT_CODES:
        if code not in units:
            units[code] = Department.objects.create(code=code, name=code, short_name=code)
    lead, _ = Department.objects.get_or_create(
        code=LEAD_CODE, defaults={"name": "中共常州市委组织部", "short_name": "市委组织部"}
    )
    return units, lead


def unit_users_of(units: dict[str, Department]) -> dict[str, Any]:
    User = get_user_model()
    group = Group.objects.get(name=MEMBER_UNIT_STAFF)
    users = {}
    for code, dept in units.items():
        user, created = User.objects.get_or_create(
            username=f"unit_{code}", defaults={"first_name": f"{dept}工作人员", "is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        ScopeGrant.objects.get_or_create(user=user, kind=GrantKind.DEPARTMENT, department=dept)
        users[code] = user
    return users


def seed_units(rng, units, lead, today) -> None:
    rows = [
        MemberUnit(
            department=units[c],
            duties=data.DUTIES[c],
            joined_on=today.replace(month=1, day=1) - dt.timedelta(days=365),
        )
        for c in UNIT_CODES
    ]
    MemberUnit.objects.bulk_create(rows)
    contacts = []
    for n, unit in enumerate(rows):
        for k, title in enumerate(("分管领导", "联络员")):
            contact = UnitContact(
                unit=unit, name=person_name(rng), title=title, phone=f"1390519{n:02d}{k:02d}"
            )
            set_indexes(contact)
            contacts.append(contact)
    UnitContact.objects.bulk_create(contacts)
