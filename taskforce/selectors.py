"""Reads of the task force: member units, meetings, tasks and reports a user may see
(``organizations.scoping``: a member unit's staff see their unit's tasks and the meetings it
attended), the board of tasks by unit and status, and the dashboard's cards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.scoping import visible

from .choices import OPEN_TASK_STATUSES, TaskStatus
from .models import Decision, Meeting, MeetingDocument, MemberUnit, Task, TaskReport, UnitContact


def unit_departments(user: Any) -> QuerySet:
    """The departments of the member units in scope: who a task can be given to."""
    from organizations.models import Department

    return (
        visible(Department, user)
        .filter(pk__in=units_for(user).values("department"))
        .order_by("name")
    )


def units_for(user: Any) -> QuerySet[MemberUnit]:
    return visible(MemberUnit, user).select_related("department").prefetch_related("contacts")


def contacts_for(user: Any) -> QuerySet[UnitContact]:
    return visible(UnitContact, user).select_related("unit__department")


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return visible(Meeting, user).prefetch_related("attending_units")


def documents_for(user: Any) -> QuerySet[MeetingDocument]:
    return visible(MeetingDocument, user).select_related("meeting")


def decisions_for(user: Any) -> QuerySet[Decision]:
    return visible(Decision, user).select_related("meeting")


def with_overdue(queryset: QuerySet[Task], now: dt.datetime | None = None) -> QuerySet[Task]:
    """``is_overdue`` on each task (open and past its due time)."""
    return queryset.annotate(
        is_overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField())
    )


def tasks_for(user: Any) -> QuerySet[Task]:
    return with_overdue(
        visible(Task, user).select_related("unit", "decision__meeting", "escalated_to")
    )


def task_reports_for(user: Any) -> QuerySet[TaskReport]:
    return visible(TaskReport, user).select_related("task__unit", "reported_by")


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Open tasks past their due time (the end of their due date's working day)."""
    return Q(status__in=OPEN_TASK_STATUSES, due_at__lt=now or timezone.now())


@dataclass
class BoardRow:
    unit: Any
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    escalated: int = 0

    @property
    def cells(self) -> list[tuple[str, int]]:
        """``(status label, count)`` in the statuses' order."""
        return [(label, self.counts.get(value, 0)) for value, label in TaskStatus.choices]

    @property
    def open(self) -> int:
        return sum(self.counts.get(s, 0) for s in OPEN_TASK_STATUSES)


def task_board(user: Any, now: dt.datetime | None = None, tasks: QuerySet | None = None):
    """Tasks by unit and status, with each unit's overdue and escalated open tasks (one
    GROUP BY query)."""
    at = now or timezone.now()
    qs = tasks if tasks is not None else tasks_for(user)
    rows = (
        qs.order_by()
        .values("unit", "unit__name", "unit__short_name", "status")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=overdue_q(at)),
            escalated=Count(
                "pk", filter=Q(status__in=OPEN_TASK_STATUSES, escalated_at__isnull=False)
            ),
        )
    )
    board: dict[int, BoardRow] = {}
    for row in rows:
        entry = board.setdefault(
            row["unit"],
            BoardRow(
                unit={
                    "pk": row["unit"],
                    "name": row["unit__short_name"] or row["unit__name"],
                }
            ),
        )
        entry.counts[row["status"]] = row["n"]
        entry.overdue += row["overdue"]
        entry.escalated += row["escalated"]
    return sorted(board.values(), key=lambda r: (-r.open, r.unit["name"]))


#: Cards for the units owing most (the task force has six to a dozen member units).
MAX_UNIT_CARDS = 12


def dashboard_figures(user: Any) -> list[dict[str, Any]]:
    """The dashboard's task-force cards: open tasks, overdue, escalated, and what each unit
    owes (most first). One query."""
    at = timezone.now()
    board = task_board(user, at)
    url = reverse("taskforce:board")
    cards = [
        {
            "key": "taskforce_open",
            "title": _("Task force: open tasks"),
            "value": sum(r.open for r in board),
            "denominator": None,
            "url": url,
            "note": "",
        },
        {
            "key": "taskforce_overdue",
            "title": _("Task force: overdue tasks"),
            "value": sum(r.overdue for r in board),
            "denominator": sum(r.open for r in board) or None,
            "url": url + "?overdue=true",
            "note": "",
            "rate_label": _("of open tasks"),
        },
        {
            "key": "taskforce_escalated",
            "title": _("Task force: escalated to the lead"),
            "value": sum(r.escalated for r in board),
            "denominator": None,
            "url": url + "?escalated=true",
            "note": "",
        },
    ]
    owing = [r for r in board if r.open][:MAX_UNIT_CARDS]
    for row in owing:
        cards.append(
            {
                "key": f"taskforce_unit_{row.unit['pk']}",
                "title": _("%(unit)s owes") % {"unit": row.unit["name"]},
                "value": row.open,
                "denominator": None,
                "url": f"{url}?unit={row.unit['pk']}",
                "note": _("%(n)s overdue") % {"n": row.overdue},
            }
        )
    return cards


__all__ = [
    "BoardRow",
    "contacts_for",
    "dashboard_figures",
    "decisions_for",
    "documents_for",
    "meetings_for",
    "overdue_q",
    "task_board",
    "task_reports_for",
    "tasks_for",
    "units_for",
]
