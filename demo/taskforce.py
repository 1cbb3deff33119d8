"""Demo of the task force (called by ``seed_demo`` after the appeals and assistance).

- The task force led by the organization department with the six member units of the demo
  city (网信, 市场监管, 邮政, 交通, 人社, 总工会), their duties and two contacts each, and one
  staff user per unit (``unit_<code>``, a ``department`` grant; ``demo.logins`` prints a
  password for ``unit_postal``).
- A year of meetings: a deployment meeting, monthly progress meetings and two special ones,
  each with decisions that became tasks for one to three units, progress reports, and — for
  some past-due tasks — no completion: overdue, and escalated to the lead by the same scan as
  production once their grace on the working-time calendar has passed.
- The 18 measures with their texts, responsible units and indicators, reported quarterly by
  the units (a few Q3 reports missing: overdue).
- The "百人万里行" campaign: exactly 143 cadres in 70 groups, 120 visits made (and a few
  planned), 353 interviews (about a third with workers on the roster), the demands collected
  (some turned into appeals through the appeals' intake, others attached to measures or
  marked as policy input) and the five outputs.

Rows are bulk-created; deterministic for a seed; dates end today (Asia/Shanghai) and due dates
stay inside this year's official calendar.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from appeals import sla
from appeals.models import Category, PolicyMeasure
from core.pii import set_indexes
from demo.city import DEFAULT_SEED
from demo.documents import demo_pdf
from members.models import Worker
from organizations.choices import GrantKind
from organizations.models import Department, Industry, ScopeGrant
from organizations.roles import MEMBER_UNIT_STAFF
from taskforce import services as tf_services
from taskforce.choices import DemandOutcome, MeetingKind, TaskStatus
from taskforce.models import (
    Cadre,
    Campaign,
    Decision,
    Demand,
    Indicator,
    IndicatorReport,
    Interview,
    Measure,
    Meeting,
    MeetingDocument,
    MemberUnit,
    ResearchGroup,
    ResearchOutput,
    Task,
    TaskForce,
    TaskReport,
    UnitContact,
    Visit,
)
from taskforce.research import services as research_services

from . import taskforce_data as data

UNIT_CODES = ("cyberspace", "market_regulation", "postal", "transport", "hrss", "trade_unions")
LEAD_CODE = "org"
CADRES, GROUPS, VISITS, INTERVIEWS = 143, 70, 120, 353
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国志红文斌宇浩凯晨"


#: The last line of every demo document.
DEMO_LINE = "（演示数据，由 seed_demo 生成）"


def _with_pdf(record, lines: list[str]):
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


def _departments() -> tuple[dict[str, Department], Department]:
    units = {d.code: d for d in Department.objects.filter(code__in=UNIT_CODES)}
    for code in UNIT_CODES:
        if code not in units:
            units[code] = Department.objects.create(code=code, name=code, short_name=code)
    lead, _ = Department.objects.get_or_create(
        code=LEAD_CODE, defaults={"name": "中共常州市委组织部", "short_name": "市委组织部"}
    )
    return units, lead


def _unit_users(units: dict[str, Department]) -> dict[str, Any]:
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


def _units(rng, units, lead, today) -> None:
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


def _meetings(rng, actor, units, lead, today) -> tuple[int, list[Task]]:
    start = today - dt.timedelta(days=360)
    last_due = dt.date(today.year, 12, 18)
    plan = [(start, MeetingKind.DEPLOYMENT, "新就业群体工作专班部署会")]
    for month in range(1, 12):
        day = start + dt.timedelta(days=30 * month + rng.randint(-3, 3))
        if day <= today:
            topic = rng.choice(data.MEETING_TOPICS)
            plan.append((day, MeetingKind.PROGRESS, f"工作专班推进会（{topic}）"))
    for day in sorted(rng.sample(range(20, 350), 2)):
        held = start + dt.timedelta(days=day)
        plan.append((held, MeetingKind.SPECIAL, f"{rng.choice(data.MEETING_TOPICS)}专题会"))
    plan.sort()
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                kind=kind,
                title=title,
                held_on=held,
                place="市委组织部三楼会议室",
                chaired_by="市委常委、组织部部长",
                attendees="各成员单位分管领导、联络员",
                minutes=f"会议听取了各成员单位工作进展汇报，研究部署了{title}相关工作。",
            )
            for held, kind, title in plan
        ]
    )
    Through = Meeting.attending_units.through
    codes = list(UNIT_CODES)
    Through.objects.bulk_create(
        [
            Through(meeting_id=m.pk, department_id=d.pk)
            for m in meetings
            for d in [lead, *[units[c] for c in codes if rng.random() < 0.85]]
        ]
    )
    docs, decisions = [], []
    for m in meetings:
        when = f"时间：{m.held_on:%Y}年{m.held_on.month}月{m.held_on.day}日"
        notice = [when, f"地点：{m.place}", f"参会：{m.attendees}", DEMO_LINE]
        docs.append(
            _with_pdf(
                MeetingDocument(meeting=m, title=f"{m.title}通知", file_name=f"notice-{m.pk}.pdf"),
                notice,
            )
        )
        docs.append(
            _with_pdf(
                MeetingDocument(meeting=m, title=f"{m.title}纪要", file_name=f"minutes-{m.pk}.pdf"),
                [when, f"主持：{m.chaired_by}", m.minutes, DEMO_LINE],
            )
        )
        for number in range(1, rng.randint(2, 4) + 1):
            text = f"{rng.choice(data.TASK_VERBS)}{rng.choice(data.TASK_OBJECTS)}"
            decisions.append(Decision(meeting=m, number=number, text=text))
    MeetingDocument.objects.bulk_create(docs)
    Decision.objects.bulk_create(decisions)
    task_force = TaskForce.objects.first()
    tasks = []
    with sla.preloaded():
        for decision in decisions:
            for code in rng.sample(codes, rng.randint(1, 3)):
                due_on = min(
                    decision.meeting.held_on + dt.timedelta(days=rng.randint(20, 75)), last_due
                )
                due_at, escalate_at = tf_services.task_deadlines(due_on, task_force)
                task = Task(
                    decision=decision,
                    title=decision.text,
                    detail=f"落实{decision.meeting.title}议定事项：{decision.text}。",
                    unit=units[code],
                    due_on=due_on,
                    due_at=due_at,
                    escalate_at=escalate_at,
                )
                if due_on < today and rng.random() < 0.8:
                    task.status = TaskStatus.DONE
                    task.progress = 100
                    task.completed_on = min(due_on + dt.timedelta(days=rng.randint(-10, 5)), today)
                elif decision.meeting.held_on < today - dt.timedelta(days=10):
                    task.status = TaskStatus.IN_PROGRESS
                    task.progress = rng.choice((20, 40, 50, 60, 80))
                tasks.append(task)
    Task.objects.bulk_create(tasks)
    reports = []
    for task in tasks:
        if task.progress == 0:
            continue
        held = task.decision.meeting.held_on
        steps = sorted({rng.randint(10, 80) for _ in range(rng.randint(0, 2))} | {task.progress})
        span = max(((task.completed_on or today) - held).days, 1)
        for i, pct in enumerate(steps, 1):
            day = held + dt.timedelta(days=span * i // len(steps))
            reports.append(
                TaskReport(
                    task=task,
                    reported_on=min(day, today),
                    progress=pct,
                    text="已完成" if pct == 100 else f"正在推进，完成约{pct}%",
                )
            )
    TaskReport.objects.bulk_create(reports)
    return len(meetings), tasks


#: Units whose figures have decimals; everything else (次, 个, 名, 人, 件 …) is counted whole.
FRACTIONAL_UNITS = ("万人", "万人次", "%")


def _reported(value: Decimal, measure_unit: str) -> Decimal:
    """A quarter's figure as a unit reports it: 1 meeting, not 1.01."""
    step = Decimal("0.01") if measure_unit in FRACTIONAL_UNITS else Decimal("1")
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _measures(rng, units, lead, today, unit_users) -> tuple[int, int]:
    policies = {p.number: p for p in PolicyMeasure.objects.all()}
    all_units = {**units, LEAD_CODE: lead}
    measures, m2m, indicators = [], [], []
    for number, (text, lead_code, responsible, specs) in sorted(data.MEASURES.items()):
        if number not in policies:
            continue
        measure = Measure(policy=policies[number], text=text, lead_unit=all_units[lead_code])
        measures.append((measure, responsible, specs))
    Measure.objects.bulk_create([m for m, _r, _s in measures])
    Through = Measure.responsible_units.through
    for measure, responsible, specs in measures:
        m2m += [Through(measure_id=measure.pk, department_id=units[c].pk) for c in responsible]
        for order, (name, unit, target, cumulative) in enumerate(specs):
            indicators.append(
                Indicator(
                    measure=measure,
                    year=today.year,
                    name=name,
                    measure_unit=unit,
                    target=Decimal(target),
                    cumulative=cumulative,
                    department=units[responsible[order % len(responsible)]],
                    sort_order=order,
                )
            )
    Through.objects.bulk_create(m2m)
    Indicator.objects.bulk_create(indicators)
    reports = []
    begun = [q for q in (1, 2, 3, 4) if dt.date(today.year, 3 * q - 2, 1) <= today]
    for indicator in indicators:
        pace = rng.uniform(0.7, 1.15)  # a measure ahead of or behind schedule
        user = unit_users.get(indicator.department.code)
        for q in begun:
            if q == 3 and rng.random() < 0.12:
                continue  # a missing Q3 report: overdue
            if q == 4 and rng.random() < 0.4:
                continue  # Q4's reports are not due yet
            target = indicator.target
            if indicator.cumulative:
                value = target / 4 * Decimal(str(round(pace * rng.uniform(0.8, 1.2), 2)))
            else:
                value = target * Decimal(str(round(min(1.1, pace * (0.6 + 0.1 * q)), 2)))
            quarter_end = dt.date(today.year, 3 * q, 28)
            reported = min(quarter_end + dt.timedelta(days=rng.randint(3, 12)), today)
            reports.append(
                IndicatorReport(
                    indicator=indicator,
                    quarter=q,
                    actual=_reported(value, indicator.measure_unit),
                    reported_by=user,
                    reported_at=timezone.make_aware(dt.datetime.combine(reported, dt.time(10))),
                    note="",
                )
            )
    IndicatorReport.objects.bulk_create(reports)
    return len(measures), len(reports)


def _research(rng, actor, units, lead, today) -> tuple[Campaign, int, int]:
    start = today - dt.timedelta(days=300)
    campaign = Campaign.objects.create(
        name="“百人万里行”新就业群体专题调研",
        starts_on=start,
        ends_on=start + dt.timedelta(days=90),
        summary="组织部牵头，成员单位干部组成调研组，深入企业、站点、平台面对面听取新就业群体意见。",
    )
    campaign.units.set([lead, *units.values()])
    groups = ResearchGroup.objects.bulk_create(
        [
            ResearchGroup(campaign=campaign, name=f"第{n + 1}调研组", leader_name=person_name(rng))
            for n in range(GROUPS)
        ]
    )
    codes = [LEAD_CODE, *UNIT_CODES]
    all_units = {**units, LEAD_CODE: lead}
    # 67 groups of two and three of three: 143 cadres.
    sizes = [3 if n < CADRES - 2 * GROUPS else 2 for n in range(GROUPS)]
    cadres = Cadre.objects.bulk_create(
        [
            Cadre(
                group=g,
                name=person_name(rng),
                title=rng.choice(("处长", "副处长", "科长", "干部")),
                department=all_units[rng.choice(codes)],
            )
            for g, size in zip(groups, sizes, strict=True)
            for _ in range(size)
        ]
    )
    by_group: dict[int, list[Cadre]] = {}
    for cadre in cadres:
        by_group.setdefault(cadre.group_id, []).append(cadre)
    # Fifty groups make two visits, twenty one: 120 visits made; six more only planned.
    visits = []
    kinds = list(data.VISIT_PLACES)
    for n, group in enumerate(groups):
        for _ in range(2 if n < VISITS - GROUPS else 1):
            kind = rng.choice(kinds)
            day = start + dt.timedelta(days=rng.randint(0, 88))
            place = rng.choice(data.VISIT_PLACES[kind]).format(rng.choice(data.PLACE_NAMES))
            visits.append(
                Visit(group=group, target_kind=kind, place=place, planned_on=day, visited_on=day)
            )
    planned = [
        Visit(
            group=rng.choice(groups),
            target_kind="station",
            place=f"龙城红色驿站（{rng.choice(data.PLACE_NAMES)}）",
            planned_on=today + dt.timedelta(days=7 + n),
        )
        for n in range(6)
    ]
    Visit.objects.bulk_create(visits + planned)
    Through = Visit.cadres.through
    Through.objects.bulk_create(
        [Through(visit_id=v.pk, cadre_id=c.pk) for v in visits for c in by_group[v.group_id]]
    )
    # 113 visits with three interviews, seven with two: 353 workers.
    three = INTERVIEWS - 2 * VISITS
    workers = list(Worker.objects.order_by("pk").values_list("pk", "industry_id")[:2000])
    industries = list(Industry.objects.values_list("pk", flat=True))
    categories = {c.code: c for c in Category.objects.all()}
    topics = [c for c in data.SAID if c in categories]
    interviews, picked = [], []
    for n, visit in enumerate(visits):
        for _ in range(3 if n < three else 2):
            topic = rng.choice(topics)
            said = rng.choice(data.SAID[topic])
            if workers and rng.random() < 0.33:
                worker_id, industry_id = rng.choice(workers)
                interview = Interview(visit=visit, worker_id=worker_id, industry_id=industry_id)
            else:
                interview = Interview(
                    visit=visit,
                    industry_id=rng.choice(industries) if industries else None,
                    age_band=rng.choice(("under_25", "25_34", "35_44", "45_plus")),
                    platform_name=rng.choice(data.PLATFORMS),
                )
            interview.said = said
            interviews.append(interview)
            picked.append((topic, said))
    Interview.objects.bulk_create(interviews)
    Topics = Interview.topics.through
    Topics.objects.bulk_create(
        [
            Topics(interview_id=i.pk, category_id=categories[t].pk)
            for i, (t, _s) in zip(interviews, picked, strict=True)
        ]
    )
    measures = {m.policy.number: m for m in Measure.objects.select_related("policy")}
    topic_measure = {
        "wages": 7,
        "account_ban": 6,
        "order_cancel": 8,
        "social_insurance": 5,
        "traffic_safety": 14,
        "accommodation": 11,
        "family_children": 10,
        "health": 12,
        "rental_scam": 13,
        "other": 15,
    }
    demands = []
    for interview, (topic, said) in zip(interviews, picked, strict=True):
        if rng.random() < 0.5:
            continue
        demand = Demand(campaign=campaign, interview=interview, topic=categories[topic], text=said)
        roll = rng.random()
        number = topic_measure.get(topic)
        if roll < 0.35 and number in measures:
            demand.outcome, demand.measure = DemandOutcome.MEASURE, measures[number]
        elif roll < 0.55:
            demand.outcome, demand.policy_note = DemandOutcome.POLICY, "关心关爱新就业群体18条措施"
        elif roll < 0.7:
            demand.outcome = DemandOutcome.ANSWERED
        if demand.outcome != DemandOutcome.OPEN:
            demand.decided_at = timezone.make_aware(
                dt.datetime.combine(campaign.ends_on, dt.time(9))
            )
        demands.append(demand)
    Demand.objects.bulk_create(demands)
    # A dozen open demands go to the direct channel through the appeals' intake.
    appeals = 0
    for demand in [d for d in demands if d.outcome == DemandOutcome.OPEN][:12]:
        research_services.demand_to_appeal(actor=actor, demand=demand)
        appeals += 1
    ResearchOutput.objects.bulk_create(
        [
            _with_pdf(
                ResearchOutput(
                    campaign=campaign,
                    kind=kind,
                    title=title,
                    issued_on=campaign.ends_on + dt.timedelta(days=15 * n),
                    file_name=f"research-{kind}.pdf",
                ),
                [campaign.name, DEMO_LINE],
            )
            for n, (kind, title) in enumerate(data.OUTPUTS)
        ]
    )
    # The follow-up campaign (回头看), planned: two groups, visits not made yet.
    follow_up = Campaign.objects.create(
        name="“百人万里行”回头看",
        starts_on=today + dt.timedelta(days=20),
        summary="回访首轮调研的企业、站点，检查诉求办理和措施落实情况。",
    )
    follow_up.units.set([lead, *units.values()])
    for n in range(2):
        group = ResearchGroup.objects.create(campaign=follow_up, name=f"回访第{n + 1}组")
        Visit.objects.create(
            group=group,
            target_kind="station",
            place=f"龙城红色驿站（{data.PLACE_NAMES[n]}）",
            planned_on=follow_up.starts_on + dt.timedelta(days=n),
        )
    return campaign, len(demands), appeals


def seed_taskforce(
    *, actor: Any, scale: str = "city", seed: int = DEFAULT_SEED, today: dt.date | None = None
) -> TaskforceResult:
    today = today or timezone.localdate()
    rng = random.Random(f"taskforce-{seed}")
    units, lead = _departments()
    unit_users = _unit_users(units)
    TaskForce.objects.create(
        name="新就业群体党建工作专班",
        lead_unit=lead,
        lead=actor if getattr(actor, "pk", None) else None,
        escalation_grace_days=2,
    )
    _units(rng, units, lead, today)
    meetings, tasks = _meetings(rng, actor, units, lead, today)
    escalated = tf_services.escalate_overdue_tasks()
    now = timezone.now()
    overdue = sum(1 for t in tasks if t.status != TaskStatus.DONE and t.due_at < now)
    measures, reports = _measures(rng, units, lead, today, unit_users)
    campaign, demands, appeals = _research(rng, actor, units, lead, today)
    return TaskforceResult(
        units=len(units),
        meetings=meetings,
        tasks=len(tasks),
        overdue=overdue,
        escalated=escalated,
        measures=measures,
        reports=reports,
        cadres=Cadre.objects.filter(group__campaign=campaign).count(),
        groups=ResearchGroup.objects.filter(campaign=campaign).count(),
        visits=Visit.objects.filter(group__campaign=campaign, visited_on__isnull=False).count(),
        interviews=Interview.objects.filter(visit__group__campaign=campaign).count(),
        demands=demands,
        appeals=appeals,
    )
