"""Meetings: plan, hold (minutes and resolutions), sign-up, leave with reasons, check-in by
code (the training check-in pattern: idempotent, the code admits, the organizer's staff may
record in the portal), and the yearly evaluations."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import writes
from members.models import PartyMember
from organizations import scoping

from ..choices import CheckInChannel, MeetingKind, MeetingStatus, ParticipationStatus
from ..models import Evaluation, Meeting, Participation
from .common import _check, user_or_none
from .dues import PAYING_STATUSES

UNKNOWN_MEMBER = gettext_lazy("Unknown member, or outside your scope.")
#: Check-in opens an hour before a meeting and closes two hours after it (apps); the portal
#: records sign-in sheets for a week.
CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=1)
CHECK_IN_CLOSES_AFTER = dt.timedelta(hours=2)
PORTAL_CLOSES_AFTER = dt.timedelta(days=7)


def _meeting_data(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if data.get("status") == MeetingStatus.HELD and not (data.get("minutes") or "").strip():
        raise ValidationError({"minutes": _("A held meeting needs its minutes.")})
    return data


def meeting_create(*, actor: Any, data: dict[str, Any]) -> Meeting:
    """Plan (or record) a meeting of an organization in the actor's scope."""
    return writes.create(actor=actor, model=Meeting, data=_meeting_data(data), check=_check)


def meeting_update(*, actor: Any, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    merged = {
        "status": data.get("status", meeting.status),
        "minutes": data.get("minutes", meeting.minutes),
    }
    _meeting_data(merged)
    return writes.update(actor=actor, instance=meeting, data=data, check=_check)


def meeting_delete(*, actor: Any, meeting: Meeting) -> None:
    writes.delete(actor=actor, instance=meeting, check=_check)


def meeting_hold(*, actor: Any, meeting: Meeting, minutes: str, resolutions: str = "") -> Meeting:
    """Mark a meeting held with its minutes (required) and resolutions."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"status": _("This meeting was cancelled.")})
    if meeting.starts_at > timezone.now():
        raise ValidationError({"status": _("A meeting cannot be held before it starts.")})
    return meeting_update(
        actor=actor,
        meeting=meeting,
        data={"status": MeetingStatus.HELD, "minutes": minutes, "resolutions": resolutions},
    )


# --- who may take part -------------------------------------------------------------------------


def expected_members(meeting: Meeting) -> QuerySet[PartyMember]:
    """The members expected at ``meeting``: those whose relation it holds and the mobile
    members it hosts (their attendance counts for their home organization)."""
    return PartyMember.objects.filter(
        Q(organization_id=meeting.organization_id)
        | Q(host_organization_id=meeting.organization_id),
        status__in=PAYING_STATUSES,
    )


def _sees_meeting(actor: Any, meeting: Meeting) -> bool:
    return scoping.visible(Meeting, actor).filter(pk=meeting.pk).exists()


def _admissible(actor: Any, meeting: Meeting, member: PartyMember, *, coded: bool = False) -> bool:
    """A member the actor may record at the meeting: one in the actor's scope, or one expected
    there when the meeting's code was given (the code admits, as in training) or the actor is
    the meeting's own staff."""
    if scoping.visible(PartyMember, actor).filter(pk=member.pk).exists():
        return True
    return (coded or _sees_meeting(actor, meeting)) and expected_members(meeting).filter(
        pk=member.pk
    ).exists()


def _upsert(
    *, actor: Any, meeting: Meeting, member: PartyMember, data: dict[str, Any], verb: str
) -> tuple[Participation, bool]:
    existing = Participation.objects.filter(meeting=meeting, member=member).first()
    if existing is not None:
        return writes.update(actor=actor, instance=existing, data=data, verb=verb), False
    try:
        with transaction.atomic():
            created = writes.create(
                actor=actor,
                model=Participation,
                data={
                    "meeting": meeting,
                    "member": member,
                    "submitted_by": user_or_none(actor),
                    **data,
                },
                verb=verb,
                exclude_from_clean=["meeting", "member"],
            )
    except IntegrityError:  # a concurrent twin won the race on (meeting, member)
        twin = Participation.objects.get(meeting=meeting, member=member)
        return writes.update(actor=actor, instance=twin, data=data, verb=verb), False
    return created, True


def _open_for_members(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": _("This meeting was cancelled.")})


def participation_sign_up(*, actor: Any, meeting: Meeting, member: PartyMember) -> Participation:
    """A member signs up for a planned meeting (a sign-up never undoes a check-in)."""
    _open_for_members(meeting)
    if not _admissible(actor, meeting, member):
        raise ValidationError({"member": str(UNKNOWN_MEMBER)})
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError({"meeting": _("Sign-up is for planned meetings.")})
    existing = Participation.objects.filter(meeting=meeting, member=member).first()
    if existing is not None and existing.status == ParticipationStatus.PRESENT:
        return existing
    return _upsert(
        actor=actor,
        meeting=meeting,
        member=member,
        data={"status": ParticipationStatus.SIGNED_UP, "leave_reason": ""},
        verb="sign_up",
    )[0]


def participation_leave(
    *, actor: Any, meeting: Meeting, member: PartyMember, reason: str
) -> Participation:
    """A member asks for leave, with the reason (required)."""
    _open_for_members(meeting)
    if not _admissible(actor, meeting, member):
        raise ValidationError({"member": str(UNKNOWN_MEMBER)})
    if not (reason or "").strip():
        raise ValidationError({"leave_reason": _("Give the reason for the leave.")})
    existing = Participation.objects.filter(meeting=meeting, member=member).first()
    if existing is not None and existing.status == ParticipationStatus.PRESENT:
        raise ValidationError({"member": _("This member already checked in.")})
    return _upsert(
        actor=actor,
        meeting=meeting,
        member=member,
        data={"status": ParticipationStatus.LEAVE, "leave_reason": reason.strip()[:200]},
        verb="leave",
    )[0]


def participation_check_in(
    *,
    actor: Any,
    meeting: Meeting,
    member: PartyMember,
    code: str | None,
    channel: str,
    at: dt.datetime | None = None,
) -> tuple[Participation, bool]:
    """Record a member present; ``(participation, created)``. Idempotent: a repeat returns the
    same row with ``created`` False. The meeting's code is required unless the meeting's own
    staff record it in the portal. A mobile member checks in where hosted; it counts for
    their home organization (attendance is the member's)."""
    now = timezone.now()
    at = at or now
    staff = _sees_meeting(actor, meeting)
    if channel == CheckInChannel.PORTAL and not staff:
        raise ValidationError({"channel": _("Only the meeting's staff record in the portal.")})
    given = (code or "").strip().upper()
    if not (channel == CheckInChannel.PORTAL and staff) and not (
        given and secrets.compare_digest(given, meeting.check_in_code)
    ):
        raise ValidationError({"code": _("This is not the meeting's check-in code.")})
    if not _admissible(actor, meeting, member, coded=bool(given)):
        raise ValidationError({"member": str(UNKNOWN_MEMBER)})
    existing = Participation.objects.filter(meeting=meeting, member=member).first()
    if existing is not None and existing.status == ParticipationStatus.PRESENT:
        return existing, False
    _open_for_members(meeting)
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("A check-in cannot be in the future.")})
    closes = PORTAL_CLOSES_AFTER if channel == CheckInChannel.PORTAL else CHECK_IN_CLOSES_AFTER
    ends = meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2)
    if at < meeting.starts_at - CHECK_IN_OPENS_BEFORE or at > ends + closes:
        raise ValidationError({"at": _("Check-in for this meeting is not open at this time.")})
    participation, _created = _upsert(
        actor=actor,
        meeting=meeting,
        member=member,
        data={
            "status": ParticipationStatus.PRESENT,
            "leave_reason": "",
            "checked_in_at": at,
            "channel": channel,
        },
        verb="check_in",
    )
    return participation, True


# --- evaluations -------------------------------------------------------------------------------


def _evaluation_data(data: dict[str, Any]) -> dict[str, Any]:
    year = data.get("year")
    if year is not None and int(year) > timezone.localdate().year:
        raise ValidationError({"year": _("A year to come cannot be evaluated.")})
    meeting = data.get("meeting")
    if meeting is not None and meeting.kind != MeetingKind.EVALUATION:
        raise ValidationError({"meeting": _("Choose a democratic evaluation meeting.")})
    return data


def evaluation_create(*, actor: Any, data: dict[str, Any]) -> Evaluation:
    """A member's rating for a year (one per year)."""
    data = _evaluation_data(dict(data))
    if Evaluation.objects.filter(member=data.get("member"), year=data.get("year")).exists():
        raise ValidationError({"year": _("This member is already rated for this year.")})
    return writes.create(actor=actor, model=Evaluation, data=data, check=_check)


def evaluation_update(*, actor: Any, evaluation: Evaluation, data: dict[str, Any]) -> Evaluation:
    return writes.update(
        actor=actor, instance=evaluation, data=_evaluation_data(dict(data)), check=_check
    )


def evaluation_delete(*, actor: Any, evaluation: Evaluation) -> None:
    writes.delete(actor=actor, instance=evaluation, check=_check)
