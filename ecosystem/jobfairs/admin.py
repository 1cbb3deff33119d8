"""The admin face of the job fairs, on :class:`~organizations.scoped.ScopedModelAdmin`; saves
through ``ecosystem.jobfairs.services``. Applications are recorded and advanced on the API (or
by partner apps); here they are read-only."""

from __future__ import annotations

from django.contrib import admin

from organizations.inlines import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .models import Employer, FairParticipation, JobApplication, JobFair, Position

__all__ = ["EmployerAdmin", "JobApplicationAdmin", "JobFairAdmin", "PositionAdmin"]


class ParticipationInline(ScopedReadOnlyInline):
    model = FairParticipation
    fields = ("employer",)
    readonly_fields = fields
    max_num = 0


@admin.register(JobFair)
class JobFairAdmin(ScopedModelAdmin):
    list_display = ("title", "held_on", "host_organization", "region", "platform", "viewers")
    list_filter = ("platform",)
    search_fields = ("title", "account")
    list_select_related = ("host_organization", "region")
    date_hierarchy = "held_on"
    autocomplete_fields = ("host_organization", "region", "live_room")
    fields = (
        "title",
        "held_on",
        "host_organization",
        "region",
        "live_room",
        "platform",
        "account",
        "viewers",
        "peak_viewers",
    )
    inlines = (ParticipationInline,)
    services = ServiceSet.of(services, "job_fair")


@admin.register(Employer)
class EmployerAdmin(ScopedModelAdmin):
    list_display = ("name", "industry", "region")
    list_filter = ("industry",)
    search_fields = ("name", "uscc")
    list_select_related = ("region",)
    autocomplete_fields = ("region", "enterprise")
    fields = ("name", "uscc", "industry", "region", "enterprise")
    services = ServiceSet.of(services, "employer")


@admin.register(FairParticipation)
class FairParticipationAdmin(ScopedModelAdmin):
    list_display = ("fair", "employer")
    search_fields = ("employer__name", "fair__title")
    list_select_related = ("fair", "employer")
    autocomplete_fields = ("fair", "employer")
    services = ServiceSet.of(services, "participation")


@admin.register(Position)
class PositionAdmin(ScopedModelAdmin):
    list_display = ("title", "employer", "fair", "headcount", "pay_min", "pay_max", "status")
    list_filter = ("industry", "status")
    search_fields = ("title", "employer__name")
    list_select_related = ("employer", "fair")
    autocomplete_fields = ("fair", "employer", "region")
    fields = (
        "fair",
        "employer",
        "title",
        "headcount",
        "pay_min",
        "pay_max",
        "industry",
        "region",
        "requirements",
        "lat",
        "lng",
        "status",
    )
    services = ServiceSet.of(services, "position")


@admin.register(JobApplication)
class JobApplicationAdmin(ScopedModelAdmin):
    list_display = ("applicant_name", "position", "channel", "status", "hired_on")
    list_filter = ("status", "channel")
    search_fields = ("applicant_name", "position__title")
    list_select_related = ("position", "position__employer")
    fields = (
        "position",
        "applicant_name",
        "channel",
        "status",
        "applied_at",
        "interviewed_on",
        "hired_on",
    )
    readonly_fields = fields
    services = ServiceSet.of(services, "application")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
