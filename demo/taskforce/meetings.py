"""A year of the task force's meetings, their decisions as tasks, progress reports."""

from __future__ import annotations

import datetime as dt

from appeals import sla
from taskforce import services as tf_services
from taskforce.choices import MeetingKind, TaskStatus
from taskforce.models import (
    Decision,
    Meeting,
    MeetingDocument,
    Task,
    TaskForce,
    TaskReport,
)

from . import data
from .common import (
    DEMO_LINE,
    UNIT_CODES,
    with_pdf,
)


def seed_meetings(rng, actor, units, lead, today) -> tuple[int, list[Task]]:
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
            with_pdf(
                MeetingDocument(meeting=m, title=f"{m.title}通知", file_name=f"notice-{m.pk}.pdf"),
                notice,
            )
        )
        docs.append(
            with_pdf(
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
