"""Party lessons, outreach events and pioneer designations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import writes
from members.models import PartyMember
from organizations import scoping

from ..models import (
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
)
from .common import _check, _split


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
        lesson = writes.create(
            actor=actor, model=PartyLesson, data=fields, check=_check, related=related
        )
    return lesson


def party_lesson_update(
    *, actor: Any, party_lesson: PartyLesson, data: dict[str, Any]
) -> PartyLesson:
    fields, related = _split(data, ("attendees",))
    attendees = related.get("attendees", party_lesson.attendees.all())
    _check_attendees(actor, attendees, fields.get("audience_count", party_lesson.audience_count))
    with transaction.atomic():
        lesson = writes.update(
            actor=actor, instance=party_lesson, data=fields, check=_check, related=related
        )
    return lesson


def party_lesson_delete(*, actor: Any, party_lesson: PartyLesson) -> None:
    writes.delete(actor=actor, instance=party_lesson, check=_check)


outreach_event_create, outreach_event_update, outreach_event_delete = writes.crud(
    OutreachEvent, "outreach_event", check=_check
)


# A pioneer post, red-flag vehicle (plate) or red live room (platform account).
designation_create, designation_update, designation_delete = writes.crud(
    PioneerDesignation, "designation", check=_check
)
