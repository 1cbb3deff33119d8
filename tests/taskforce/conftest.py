"""The task force placed in the shared world: two member units (postal, market regulation)
with a staff user each (a ``department`` grant), the task force with its lead, a meeting
with a decision and a task per unit, a measure with indicators reported by each unit, and a
research campaign."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from appeals.models import Category, PolicyMeasure
from organizations.choices import GrantKind
from organizations.roles import MEMBER_UNIT_STAFF
from taskforce.choices import MeetingKind
from taskforce.models import (
    Campaign,
    Decision,
    Indicator,
    Measure,
    Meeting,
    MemberUnit,
    ResearchGroup,
    Task,
    TaskForce,
)
from taskforce.services import task_deadlines
from tests import factories as f


@dataclass
class TF:
    postal: Any
    market: Any
    postal_staff: Any
    market_staff: Any
    lead: Any
    task_force: TaskForce
    meeting: Meeting
    decision: Decision
    postal_task: Task
    market_task: Task
    measure: Measure
    other_measure: Measure
    postal_indicator: Indicator
    market_indicator: Indicator
    campaign: Campaign
    group: ResearchGroup
    category: Category


def make_task(unit, due_on: dt.date, decision=None, title="落实暖心驿站建设", **extra) -> Task:
    task = Task(decision=decision, title=title, unit=unit, due_on=due_on, **extra)
    task.due_at, task.escalate_at = task_deadlines(due_on, TaskForce.objects.first())
    task.save()
    return task


@pytest.fixture
def tf(world) -> TF:
    postal = f.DepartmentFactory(code="postal", name="市邮政管理局", short_name="邮政")
    market = f.DepartmentFactory(code="market", name="市市场监管局", short_name="市场监管")
    org_dept = f.DepartmentFactory(code="org", name="市委组织部", short_name="组织部")
    for dept in (postal, market, org_dept):
        MemberUnit.objects.create(department=dept, duties="")
    postal_staff = f.UserFactory(username="postal_staff", groups=[MEMBER_UNIT_STAFF])
    f.grant(postal_staff, GrantKind.DEPARTMENT, department=postal)
    market_staff = f.UserFactory(username="market_staff", groups=[MEMBER_UNIT_STAFF])
    f.grant(market_staff, GrantKind.DEPARTMENT, department=market)
    lead = world.staff
    task_force = TaskForce.objects.create(
        name="新就业群体工作专班", lead_unit=org_dept, lead=lead, escalation_grace_days=2
    )
    meeting = Meeting.objects.create(
        kind=MeetingKind.DEPLOYMENT, title="工作专班部署会", held_on=dt.date(2026, 3, 2)
    )
    meeting.attending_units.set([postal, market, org_dept])
    decision = Decision.objects.create(meeting=meeting, number=1, text="建设暖心驿站")
    postal_task = make_task(postal, dt.date(2026, 9, 30), decision)
    market_task = make_task(market, dt.date(2026, 9, 30), decision, title="规范平台抽成")
    policies = list(PolicyMeasure.objects.order_by("number")[:2])
    measure = Measure.objects.create(policy=policies[0], text="措施正文", lead_unit=org_dept)
    measure.responsible_units.set([postal, market])
    other = Measure.objects.create(policy=policies[1], text="", lead_unit=org_dept)
    other.responsible_units.set([market])
    postal_indicator = Indicator.objects.create(
        measure=measure,
        year=2026,
        name="新建驿站数",
        measure_unit="个",
        target=Decimal(100),
        cumulative=True,
        department=postal,
    )
    market_indicator = Indicator.objects.create(
        measure=measure,
        year=2026,
        name="平台规则公示率",
        measure_unit="%",
        target=Decimal(80),
        cumulative=False,
        department=market,
    )
    campaign = Campaign.objects.create(name="百人万里行", starts_on=dt.date(2026, 4, 1))
    campaign.units.set([postal, market, org_dept])
    group = ResearchGroup.objects.create(campaign=campaign, name="第一组")
    return TF(
        postal=postal,
        market=market,
        postal_staff=postal_staff,
        market_staff=market_staff,
        lead=lead,
        task_force=task_force,
        meeting=meeting,
        decision=decision,
        postal_task=postal_task,
        market_task=market_task,
        measure=measure,
        other_measure=other,
        postal_indicator=postal_indicator,
        market_indicator=market_indicator,
        campaign=campaign,
        group=group,
        category=Category.objects.get(code="wages"),
    )
