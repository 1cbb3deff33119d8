"""Overdue tasks escalate to the task force's lead on the working-time calendar (the official
holidays and make-up workdays of ``appeals``), once."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from taskforce import selectors, services
from taskforce.choices import TaskStatus

from .conftest import make_task


def at(day: str, clock: str = "12:00") -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{clock}"))


def test_due_and_escalation_times_follow_the_holiday_calendar(tf):
    # Due Wednesday 30 September 2026; the National Day holiday runs 1–7 October. Two working
    # days of grace end on Friday 9 October, not on Friday 2 October as Monday–Friday would.
    task = tf.postal_task
    assert timezone.localtime(task.due_at) == at("2026-09-30", "17:30")
    assert timezone.localtime(task.escalate_at) == at("2026-10-09", "17:30")


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day(tf):
    task = make_task(tf.postal, dt.date(2026, 10, 3))
    assert timezone.localtime(task.due_at) == at("2026-10-08", "17:30")


def test_the_scan_escalates_to_the_lead_after_the_grace_and_only_once(tf):
    assert services.escalate_overdue_tasks(now=at("2026-10-08")) == 0
    tf.postal_task.refresh_from_db()
    assert tf.postal_task.escalated_at is None
    # Overdue (past the due time) but not escalated yet: the board says so.
    board = {r.unit["name"]: r for r in selectors.task_board(tf.lead, at("2026-10-08"))}
    assert board["邮政"].overdue == 1 and board["邮政"].escalated == 0

    assert services.escalate_overdue_tasks(now=at("2026-10-09", "18:00")) == 2
    assert services.escalate_overdue_tasks(now=at("2026-10-12")) == 0
    tf.postal_task.refresh_from_db()
    assert tf.postal_task.escalated_to == tf.lead
    assert tf.postal_task.escalated_at == at("2026-10-09", "18:00")
    assert AuditEvent.objects.filter(verb="escalate", object_id=str(tf.postal_task.pk)).count() == 1


def test_a_done_task_never_escalates(tf):
    services.task_report(
        actor=tf.postal_staff,
        task=tf.postal_task,
        progress=100,
        text="全部建成",
        reported_on=dt.date(2026, 9, 29),
    )
    tf.postal_task.refresh_from_db()
    assert tf.postal_task.status == TaskStatus.DONE
    assert tf.postal_task.completed_on == dt.date(2026, 9, 29)
    assert services.escalate_overdue_tasks(now=at("2026-11-01")) == 1  # the market task only
    tf.postal_task.refresh_from_db()
    assert tf.postal_task.escalated_at is None


def test_moving_the_due_date_moves_the_escalation(tf, world):
    task = services.task_update(
        actor=world.staff, task=tf.postal_task, data={"due_on": dt.date(2026, 11, 20)}
    )
    assert timezone.localtime(task.escalate_at) == at("2026-11-24", "17:30")


def test_a_progress_report_dated_after_today_is_refused_at_its_field(tf, client):
    """A report dated next week was taken, and a 100 % one closed the task "done" on a day
    still to come. The date field answers instead, and nothing is written."""
    from taskforce.models import TaskReport

    client.force_login(tf.postal_staff)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    url = reverse("taskforce:task_detail", args=[tf.postal_task.pk])
    page = client.post(url, {"progress": 100, "text": "全部建成", "reported_on": tomorrow})
    assert page.status_code == 200
    assert "reported_on" in page.context["form"].errors
    assert not TaskReport.objects.exists()
    tf.postal_task.refresh_from_db()
    assert tf.postal_task.completed_on is None


def test_the_office_assigns_a_task_from_the_portal(tf, client, world):
    """Tasks could only be entered in the admin or the API: the office assigns one from the
    board; bad input answers field by field, a member unit cannot assign."""
    from core.models import AuditEvent
    from taskforce.models import Task

    url = reverse("taskforce:task_new")
    client.force_login(tf.postal_staff)
    assert client.get(url).status_code == 403
    link = f'href="{url}"'
    assert link not in client.get(reverse("taskforce:board")).content.decode()
    client.force_login(world.staff)
    assert link in client.get(reverse("taskforce:board")).content.decode()
    tasks, events = Task.objects.count(), AuditEvent.objects.count()
    bad = client.post(url, {"title": "", "unit": "999999", "due_on": "2026-13-01"})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"title", "unit", "due_on"}
    assert Task.objects.count() == tasks and AuditEvent.objects.count() == events
    unit = tf.postal_task.unit
    done = client.post(
        url, {"title": "走访驿站", "unit": unit.pk, "due_on": "2026-12-31", "detail": "逐一走访"}
    )
    task = Task.objects.get(title="走访驿站")
    assert done.status_code == 302 and done["Location"] == reverse(
        "taskforce:task_detail", args=[task.pk]
    )
    assert task.unit == unit and task.escalate_at is not None
    assert AuditEvent.objects.count() > events
