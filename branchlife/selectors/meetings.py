"""Reads of meetings: the compliance matrix (branch × month: which required meetings were
held, one GROUP BY), a branch's calendar, each member's attendance over six months, members
absent without leave for six consecutive months (the branch decides), a member's upcoming
meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth
from django.utils import timezone

from members.models import PartyMember
from organizations.choices import OrganizationStatus
from organizations.models import PartyOrganization
from organizations.scoping import visible
from training.selectors import lessons_for

from .. import conf
from ..choices import MeetingKind, MeetingStatus, ParticipationStatus
from ..models import Meeting, MeetingPhoto, Participation
from ..services.common import add_months, month_start
from ..services.dues import PAYING_STATUSES


class Cell(NamedTuple):
    month: int
    held: int
    required: int
    #: "ok", "behind", "open" (the period has not ended), "none" (nothing due this month)
    state: str


@dataclass
class BranchRow:
    organization: Any
    cells: list[Cell] = field(default_factory=list)

    @property
    def behind(self) -> int:
        return sum(1 for c in self.cells if c.state == "behind")


def required_kinds(month: int) -> list[str]:
    """The kinds whose period ends with ``month`` (a quarterly kind is due by month 3, 6, …)."""
    return [k for k, f in conf.meeting_frequencies().items() if f and month % f == 0]


def _period_end(month_expr) -> Case:
    """The month (1–12) that closes the period a meeting falls in, per its kind's frequency."""
    by_frequency: dict[int, list[str]] = {}
    for kind, frequency in conf.meeting_frequencies().items():
        by_frequency.setdefault(int(frequency), []).append(kind)
    whens = [
        When(kind__in=kinds, then=((month_expr + (f - 1)) / f) * f)
        for f, kinds in sorted(by_frequency.items())
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def branches_for(user, *, root: PartyOrganization | None = None) -> QuerySet[PartyOrganization]:
    """The active branches ``user`` sees (under ``root``)."""
    queryset = visible(PartyOrganization, user).filter(
        kind__in=conf.branch_kinds(), status=OrganizationStatus.ACTIVE
    )
    if root is not None:
        queryset = queryset.filter(path__startswith=root.path)
    return queryset.order_by("path")


def held_by_period(user, *, year: int, organization_ids=None) -> dict[tuple[int, int], int]:
    """``{(organization id, period-end month): required kinds held}`` for ``year``: held
    meetings counted by distinct kind, a party lesson also counting when recorded in training
    (linked rather than duplicated). Two GROUP BY queries."""
    frequencies = conf.meeting_frequencies()
    kinds = [k for k, f in frequencies.items() if f]
    meetings = visible(Meeting, user).filter(
        status=MeetingStatus.HELD, starts_at__year=year, kind__in=kinds
    )
    if organization_ids is not None:
        meetings = meetings.filter(organization_id__in=organization_ids)

    # Kinds held per period without COUNT(DISTINCT): one MAX(kind = k) per kind, summed (a
    # hash aggregate, as cheap as the bare GROUP BY).
    def held(kind: str) -> Max:
        return Max(
            Case(When(kind=kind, then=Value(1)), default=Value(0)), output_field=IntegerField()
        )

    others = [held(k) for k in kinds if k != MeetingKind.LESSON]
    rows = (
        meetings.annotate(period=_period_end(Cast(ExtractMonth("starts_at"), IntegerField())))
        .values("organization_id", "period")
        .annotate(
            others=sum(others[1:], others[0]) if others else Value(0),
            lessons=held(MeetingKind.LESSON),
        )
        .order_by()
        .values_list("organization_id", "period", "others", "lessons")
    )
    out: dict[tuple[int, int], int] = {}
    lesson_periods: set[tuple[int, int]] = set()
    for org_id, period, others, lessons in rows:
        out[(org_id, period)] = others
        if lessons:
            lesson_periods.add((org_id, period))
    lesson_frequency = frequencies.get(MeetingKind.LESSON)
    if lesson_frequency:
        lessons = lessons_for(user).filter(given_on__year=year)
        if organization_ids is not None:
            lessons = lessons.filter(organization_id__in=organization_ids)
        month = Cast(ExtractMonth("given_on"), IntegerField())
        period = ((month + (lesson_frequency - 1)) / lesson_frequency) * lesson_frequency
        lesson_periods |= set(
            lessons.annotate(period=period)
            .values_list("organization_id", "period")
            .distinct()
            .order_by()
        )
    for key in lesson_periods:
        out[key] = out.get(key, 0) + 1
    return out


def compliance_matrix(
    user,
    *,
    year: int,
    branches: list[PartyOrganization] | None = None,
    today: dt.date | None = None,
) -> list[BranchRow]:
    """For each branch (all the user sees, or ``branches``) and each month of ``year``: how
    many of the meetings due by that month were held. A month after today is "open"."""
    today = today or timezone.localdate()
    if branches is None:
        branches = list(branches_for(user).only("pk", "name", "code", "path"))
    ids = None if len(branches) > 1000 else [b.pk for b in branches]
    held = held_by_period(user, year=year, organization_ids=ids)
    required = {m: len(required_kinds(m)) for m in range(1, 13)}
    open_from = 13 if year < today.year else (today.month if year == today.year else 1)
    rows = []
    for branch in branches:
        cells = []
        for month in range(1, 13):
            need = required[month]
            got = held.get((branch.pk, month), 0)
            # Meetings of longer periods held this month are counted at their period's end.
            got = min(got, need)
            if not need:
                state = "none"
            elif month >= open_from:
                state = "ok" if got >= need else "open"
            else:
                state = "ok" if got >= need else "behind"
            cells.append(Cell(month, got, need, state))
        rows.append(BranchRow(organization=branch, cells=cells))
    return rows


def calendar_for(user, *, organization: PartyOrganization, year: int) -> QuerySet[Meeting]:
    """A branch's meetings of ``year`` (hosted members' branches included), by start."""
    return (
        visible(Meeting, user)
        .filter(organization=organization, starts_at__year=year)
        .select_related("station", "party_lesson")
        .annotate(
            present=Count("participations", filter=Q(participations__status="present")),
            on_leave=Count("participations", filter=Q(participations__status="leave")),
        )
        .order_by("starts_at", "pk")
    )


def meetings_for(user) -> QuerySet[Meeting]:
    """Meetings in scope with ``present`` (members checked in), one query for a page."""
    present = (
        Participation.objects.filter(meeting=OuterRef("pk"), status=ParticipationStatus.PRESENT)
        .order_by()
        .values("meeting")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        visible(Meeting, user)
        .select_related("organization", "station")
        .annotate(present=Coalesce(Subquery(present, output_field=IntegerField()), 0))
    )


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last six complete months: ``[start, end)``."""
    end = month_start(today)
    return add_months(end, -6), end


def _bounds(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """:func:`window` as aware local midnights: a range on ``starts_at`` that an index serves
    (a ``__date`` lookup converts every row)."""
    start, end = window(today)
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end, dt.time.min, tzinfo=zone),
    )


def attendance(user, *, organization: PartyOrganization, today: dt.date) -> QuerySet[PartyMember]:
    """Each member of ``organization`` (hosted mobile members too) with their meetings over
    the last six complete months: ``present``, ``on_leave`` (any organization's meetings:
    a mobile member's attendance where hosted counts for home) and ``held`` (their
    organizations' held meetings)."""
    start, end = _bounds(today)
    in_window = Q(
        meeting_participations__meeting__status=MeetingStatus.HELD,
        meeting_participations__meeting__starts_at__gte=start,
        meeting_participations__meeting__starts_at__lt=end,
    )
    held = (
        Meeting.objects.filter(
            Q(organization_id=OuterRef("organization_id"))
            | Q(organization_id=OuterRef("host_organization_id")),
            status=MeetingStatus.HELD,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        visible(PartyMember, user)
        .filter(status__in=PAYING_STATUSES)
        .filter(Q(organization=organization) | Q(host_organization=organization))
        .annotate(
            present=Count(
                "meeting_participations",
                filter=in_window & Q(meeting_participations__status=ParticipationStatus.PRESENT),
            ),
            on_leave=Count(
                "meeting_participations",
                filter=in_window & Q(meeting_participations__status=ParticipationStatus.LEAVE),
            ),
            held=Coalesce(Subquery(held, output_field=IntegerField()), 0),
        )
        .order_by("name", "pk")
    )


def absent_six_months(user, *, today: dt.date) -> QuerySet[PartyMember]:
    """Members who, over the last six complete months, were neither present nor excused at
    any held meeting while their organization held meetings: listed for the branch's
    decision (the constitution's rule); the portal never decides."""
    start, end = _bounds(today)
    took_part = Participation.objects.filter(
        member=OuterRef("pk"),
        status__in=(ParticipationStatus.PRESENT, ParticipationStatus.LEAVE),
        meeting__status=MeetingStatus.HELD,
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
    )
    held = Meeting.objects.filter(
        status=MeetingStatus.HELD, starts_at__gte=start, starts_at__lt=end
    )
    # Two EXISTS rather than one with OR: each is served by the (organization, start) index.
    home_met = Exists(held.filter(organization_id=OuterRef("organization_id")))
    host_met = Exists(held.filter(organization_id=OuterRef("host_organization_id")))
    return (
        visible(PartyMember, user)
        .filter(status__in=PAYING_STATUSES)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lt=window(today)[0]))
        .filter(home_met | host_met)
        .exclude(Exists(took_part))
        .select_related("organization", "host_organization")
        .order_by("organization__path", "name")
    )


def upcoming_for(user, *, member: PartyMember, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """A member's planned meetings from now: those of the organization holding their relation
    and of the one hosting them. ``member`` must be in the caller's scope (the face checks)."""
    now = now or timezone.now()
    orgs = [o for o in (member.organization_id, member.host_organization_id) if o]
    return (
        Meeting.objects.filter(
            organization_id__in=orgs, status=MeetingStatus.PLANNED, starts_at__gte=now
        )
        .select_related("organization", "station")
        .order_by("starts_at", "pk")
    )


def meeting_roll(user, *, meeting: Meeting) -> QuerySet[PartyMember]:
    """The check-in roll of ``meeting`` (one the caller sees; the face checks): the members
    expected there (its organization's and the mobile members it hosts) and anyone already
    recorded, each with ``roll_status``, ``roll_reason``, ``roll_checked_in_at`` and
    ``roll_channel`` of their participation (empty when none). One query."""
    rows = Participation.objects.filter(meeting=meeting, member=OuterRef("pk"))
    expected = Q(organization_id=meeting.organization_id) | Q(
        host_organization_id=meeting.organization_id
    )
    return (
        PartyMember.objects.filter((expected & Q(status__in=PAYING_STATUSES)) | Q(Exists(rows)))
        .annotate(
            roll_status=Subquery(rows.values("status")[:1]),
            roll_reason=Subquery(rows.values("leave_reason")[:1]),
            roll_checked_in_at=Subquery(rows.values("checked_in_at")[:1]),
            roll_channel=Subquery(rows.values("channel")[:1]),
        )
        .order_by("name", "pk")
    )


def meeting_photos_for(user, *, meeting: Meeting | None = None) -> QuerySet[MeetingPhoto]:
    """Meeting photos in scope (those of ``meeting`` if given), oldest first."""
    photos = visible(MeetingPhoto, user).order_by("meeting_id", "id")
    return photos.filter(meeting=meeting) if meeting is not None else photos
