"""Choices of the appeals app (DESIGN.md §6, appeals): channels, urgency, the levels of the
direct channel, the workflow states and the kinds of events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How an appeal reached us (an intake door)."""

    STATION = "station", _("Red station")
    MEMBER_RELAY = "member_relay", _("Party member relay")
    HOTLINE = "hotline", _("Hotline partner (12345)")
    APP = "app", _("Partner app")
    WEB = "web", _("Online form")
    IN_PERSON = "in_person", _("In person")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Level(models.TextChoices):
    """The levels of the direct channel, lowest first (工作者→党员→党支部→行业党委→组织部)."""

    WORKER = "worker", _("Worker")
    PARTY_MEMBER = "party_member", _("Party member")
    PARTY_BRANCH = "party_branch", _("Party branch")
    INDUSTRY_COMMITTEE = "industry_committee", _("Industry party committee")
    ORGANIZATION_DEPARTMENT = "organization_department", _("Organization department")


#: The rank of each level on the channel: escalation and reopening move up this order.
LEVEL_ORDER: dict[str, int] = {value: rank for rank, value in enumerate(Level.values)}


def level_rank(level: str) -> int:
    return LEVEL_ORDER[level]


class Status(models.TextChoices):
    """The 12345 chain 受理→派单→办理→答复→督办→办结→回访→评价 as states."""

    RECEIVED = "received", _("Received")
    DISPATCHED = "dispatched", _("Dispatched")
    DISPUTED = "disputed", _("Disputed")
    SIGNED = "signed", _("Signed for")
    IN_PROGRESS = "in_progress", _("In progress")
    EXTENDED = "extended", _("Extended")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    VISITED = "visited", _("Visited")
    REOPENED = "reopened", _("Reopened")
    ARCHIVED = "archived", _("Archived")


#: States in which a step is due (the scan escalates them when ``due_at`` has passed).
DUE_STATUSES: tuple[str, ...] = (
    Status.RECEIVED,
    Status.DISPATCHED,
    Status.DISPUTED,
    Status.SIGNED,
    Status.IN_PROGRESS,
    Status.EXTENDED,
    Status.REOPENED,
)
#: States that still wait for the handling organization (the board's "open").
OPEN_STATUSES: tuple[str, ...] = (*DUE_STATUSES, Status.REPLIED)
#: States after the reply was accepted.
SOLVED_STATUSES: tuple[str, ...] = (Status.CLOSED, Status.VISITED, Status.ARCHIVED)


class EventKind(models.TextChoices):
    CREATE = "create", _("Received")
    DISPATCH = "dispatch", _("Dispatched")
    DISPUTE = "dispute", _("Disputed")
    SIGN = "sign", _("Signed for")
    START = "start", _("Handling started")
    EXTEND = "extend", _("Extended")
    REPLY = "reply", _("Replied")
    CLOSE = "close", _("Closed")
    VISIT = "visit", _("Return visit")
    REOPEN = "reopen", _("Reopened")
    ARCHIVE = "archive", _("Archived")
    ESCALATE = "escalate", _("Escalated (overdue)")
    MERGE = "merge", _("Merged as a duplicate")


class InboxKind(models.TextChoices):
    DISPATCHED = "dispatched", _("New appeal dispatched to you")
    ESCALATED = "escalated", _("Overdue appeal escalated to you")
    REOPENED = "reopened", _("Appeal reopened")
    REPLIED = "replied", _("Appeal replied")
    DISPUTED = "disputed", _("Appeal disputed")
    HOTSPOT = "hotspot", _("Hot-spot alert")


class HotSpotSubject(models.TextChoices):
    PLATFORM = "platform", _("Platform")
    PLACE = "place", _("Place")
