"""Party lessons, outreach events and pioneer designations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, writes
from core.choices import AuditAction
from members.models import PartyMember
from organizations import scoping

from ..models import (
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
)
from .common import _check, _set_m2m, _split


def _check_attendees(actor: Any, attendees, audience_count) -> None:
    attendees = list(attendees)
    visible = set(
        scoping.visible(PartyMember, actor)
        .filter(pk__in=[m.pk for m in attendees])
        .values_list("pk", flat=True)
    )
    if any(m.pk not in visible for m in attendees):
        raise ValidationError({"attendees": _("A member outside your scope cannot be recorded.")})
    if audience_count is not None and len(attendees) > audience_count:
        raise ValidationError(
            {"audience_count": _("The audience cannot be smaller than the members recorded.")}
        )


def party_lesson_create(*, actor: Any, data: dict[str, Any]) -> PartyLesson:
    fields, related = _split(data, ("attendees",))
    _check_attendees(actor, related.get("attendees", ()), fields.get("audience_count"))
    with transaction.atomic():
        lesson = writes.create(actor=actor, model=PartyLesson, data=fields, check=_check)
        _set_m2m(lesson, related)
    return lesson


def party_lesson_update(
    *, actor: Any, party_lesson: PartyLesson, data: dict[str, Any]
) -> PartyLesson:
    fields, related = _split(data, ("attendees",))
    attendees = related.get("attendees", party_lesson.attendees.all())
    _check_attendees(actor, attendees, fields.get("audience_count", party_lesson.audience_count))
    with transaction.atomic():
        lesson = writes.update(actor=actor, instance=party_lesson, data=fields, check=_check)
        if "attendees" in related:
            before = sorted(lesson.attendees.values_list("pk", flat=True))
            _set_m2m(lesson, related)
            after = sorted(m.pk for m in related["attendees"])
            if before != after:
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=lesson,
                    changes={"attendees": [before, after]},
                    verb="set_attendees",
                )
    return lesson


def party_lesson_delete(*, actor: Any, party_lesson: PartyLesson) -> None:
    writes.delete(actor=actor, instance=party_lesson, check=_check)


def outreach_event_create(*, actor: Any, data: dict[str, Any]) -> OutreachEvent:
    return writes.create(actor=actor, model=OutreachEvent, data=data, check=_check)


def outreach_event_update(
    *, actor: Any, outreach_event: OutreachEvent, data: dict[str, Any]
) -> OutreachEvent:
    return writes.update(actor=actor, instance=outreach_event, data=data, check=_check)


def outreach_event_delete(*, actor: Any, outreach_event: OutreachEvent) -> None:
    writes.delete(actor=actor, instance=outreach_event, check=_check)


def designation_create(*, actor: Any, data: dict[str, Any]) -> PioneerDesignation:
    """A pioneer post, red-flag vehicle (plate) or red live room (platform account)."""
    return writes.create(actor=actor, model=PioneerDesignation, data=data, check=_check)


def designation_update(
    *, actor: Any, designation: PioneerDesignation, data: dict[str, Any]
) -> PioneerDesignation:
    return writes.update(actor=actor, instance=designation, data=data, check=_check)


def designation_delete(*, actor: Any, designation: PioneerDesignation) -> None:
    writes.delete(actor=actor, instance=designation, check=_check)
