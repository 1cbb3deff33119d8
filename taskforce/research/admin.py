"""Admins of the field research (registered by ``taskforce.admin``)."""

from __future__ import annotations

from django.contrib import admin

from organizations.inlines import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .models import Cadre, Campaign, Demand, Interview, ResearchGroup, ResearchOutput, Visit


class OutputInline(ScopedReadOnlyInline):
    model = ResearchOutput
    fields = ("kind", "title", "issued_on", "link")
    readonly_fields = fields


@admin.register(Campaign)
class CampaignAdmin(ScopedModelAdmin):
    list_display = ("name", "starts_on", "ends_on")
    fields = ("name", "starts_on", "ends_on", "summary", "units")
    filter_horizontal = ("units",)
    inlines = (OutputInline,)
    services = ServiceSet.of(services, "campaign")


@admin.register(ResearchGroup)
class ResearchGroupAdmin(ScopedModelAdmin):
    list_display = ("name", "campaign", "leader_name")
    list_select_related = ("campaign",)
    fields = ("campaign", "name", "leader_name")
    services = ServiceSet.of(services, "group")


@admin.register(Cadre)
class CadreAdmin(ScopedModelAdmin):
    list_display = ("name", "title", "department", "group")
    list_select_related = ("group", "department")
    search_fields = ("name",)
    fields = ("group", "name", "title", "department", "user")
    raw_id_fields = ("user",)
    services = ServiceSet.of(services, "cadre")


@admin.register(Visit)
class VisitAdmin(ScopedModelAdmin):
    list_display = ("planned_on", "visited_on", "place", "target_kind", "group")
    list_filter = ("target_kind",)
    list_select_related = ("group",)
    fields = ("group", "target_kind", "place", "enterprise", "planned_on", "visited_on", "notes")
    raw_id_fields = ("enterprise",)
    services = ServiceSet.of(services, "visit")


@admin.register(Interview)
class InterviewAdmin(ScopedModelAdmin):
    list_display = ("__str__", "visit", "industry", "age_band", "platform_name")
    list_select_related = ("visit", "industry")
    fields = ("visit", "worker", "industry", "age_band", "platform_name", "topics", "said")
    raw_id_fields = ("visit", "worker")
    services = ServiceSet.of(services, "interview")


@admin.register(Demand)
class DemandAdmin(ScopedModelAdmin):
    list_display = ("__str__", "topic", "outcome", "campaign")
    list_filter = ("outcome", "topic")
    list_select_related = ("topic", "campaign")
    fields = ("campaign", "interview", "topic", "text")
    readonly_fields = ("outcome", "appeal", "measure", "policy_note", "decided_at")
    raw_id_fields = ("interview",)
    services = ServiceSet.of(services, "demand")

    def get_fields(self, request, obj=None):
        return (*self.fields, *self.readonly_fields)


@admin.register(ResearchOutput)
class ResearchOutputAdmin(ScopedModelAdmin):
    list_display = ("title", "kind", "issued_on", "campaign")
    list_filter = ("kind",)
    fields = ("campaign", "kind", "title", "issued_on", "link", "file_name", "note")
    services = ServiceSet.of(services, "output")
