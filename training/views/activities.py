"""Party lessons, outreach events and pioneer designations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.scoped import Column

from .. import selectors
from ..filtersets import (
    OutreachEventFilterSet,
    PartyLessonFilterSet,
    PioneerDesignationFilterSet,
)
from ..models import (
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
)
from .base import TrainingListView, _date, _label


class LessonListView(TrainingListView):
    model = PartyLesson
    filterset_class = PartyLessonFilterSet
    title = _("Party lessons")
    export_filename = "party-lessons.xlsx"
    columns = (
        Column(_label(PartyLesson, "title"), lambda x: x.title),
        Column(_label(PartyLesson, "organization"), lambda x: x.organization.name),
        Column(_label(PartyLesson, "speaker_name"), lambda x: x.speaker_name),
        Column(_label(PartyLesson, "given_on"), lambda x: _date(x.given_on)),
        Column(_label(PartyLesson, "audience_count"), lambda x: x.audience_count),
        Column(_("Members recorded"), lambda x: x.attendee_count),
    )

    def selector(self, user):
        return selectors.lessons_for(user)


class OutreachListView(TrainingListView):
    model = OutreachEvent
    filterset_class = OutreachEventFilterSet
    title = _("Outreach events")
    export_filename = "outreach-events.xlsx"
    columns = (
        Column(_label(OutreachEvent, "title"), lambda x: x.title),
        Column(_label(OutreachEvent, "kind"), lambda x: x.get_kind_display()),
        Column(_label(OutreachEvent, "speaker_name"), lambda x: x.speaker_name),
        Column(_label(OutreachEvent, "industry"), lambda x: x.industry.name if x.industry else ""),
        Column(_label(OutreachEvent, "region"), lambda x: x.region.name),
        Column(_label(OutreachEvent, "held_on"), lambda x: _date(x.held_on)),
        Column(_label(OutreachEvent, "audience_count"), lambda x: x.audience_count),
    )

    def selector(self, user):
        return selectors.outreach_for(user)


def _designation_detail(x: PioneerDesignation) -> str:
    if x.plate:
        return x.plate
    if x.account:
        return f"{x.platform.name if x.platform else ''} {x.account}".strip()
    return x.unit.name if x.unit else ""


class DesignationListView(TrainingListView):
    model = PioneerDesignation
    filterset_class = PioneerDesignationFilterSet
    title = _("Pioneer designations")
    export_filename = "pioneer-designations.xlsx"
    columns = (
        Column(_label(PioneerDesignation, "title"), lambda x: x.title),
        Column(_label(PioneerDesignation, "kind"), lambda x: x.get_kind_display()),
        Column(_label(PioneerDesignation, "holder"), lambda x: x.holder.name),
        Column(_("Plate, account or unit"), _designation_detail),
        Column(_label(PioneerDesignation, "organization"), lambda x: x.organization.name),
        Column(_label(PioneerDesignation, "starts_on"), lambda x: _date(x.starts_on)),
        Column(_label(PioneerDesignation, "status"), lambda x: x.get_status_display()),
    )

    def selector(self, user):
        return selectors.designations_for(user)


lesson_list = LessonListView.as_view()
outreach_list = OutreachListView.as_view()
designation_list = DesignationListView.as_view()
