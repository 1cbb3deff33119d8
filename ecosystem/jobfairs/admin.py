"""The admin face of the job fairs, on :class:`~organizations.scoped.ScopedModelAdmin`; saves
through ``ecosystem.jobfairs.services``. Applications are recorded and advanced on the API (or
by partner apps); here they are read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.admin import CityWideWritesMixin
from organizations.inlines import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .choices import ApplicationStatus
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
class EmployerAdmin(CityWideWritesMixin, ScopedModelAdmin):
    # Published reference data (every signed-in user reads it, as on the API); city-wide
    # staff maintain it.
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


def _advance(status: str, description):
    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        done = 0
        for application in queryset:
            try:
                services.application_advance(
                    actor=request.user, application=application, status=status
                )
                done += 1
            except ValidationError as exc:
                modeladmin.message_user(
                    request, f"{application}: {'；'.join(exc.messages)}", messages.ERROR
                )
        if done:
            modeladmin.message_user(
                request, gettext("%(n)d applications updated.") % {"n": done}, messages.SUCCESS
            )

    action.__name__ = f"mark_{status}"
    return action


@admin.register(JobApplication)
class JobApplicationAdmin(ScopedModelAdmin):
    """Staff record an application (``application_create``) and move applications on with the
    actions (``application_advance``: within the openings); rows are never edited by hand."""

    list_display = ("applicant_name", "position", "channel", "status", "hired_on")
    list_filter = ("status", "channel")
    search_fields = ("applicant_name", "position__title")
    list_select_related = ("position", "position__employer")
    autocomplete_fields = ("position", "worker")
    readonly = (
        "position",
        "applicant_name",
        "channel",
        "status",
        "applied_at",
        "interviewed_on",
        "hired_on",
    )
    services = ServiceSet.of(services, "application")
    actions = [
        _advance(ApplicationStatus.INTERVIEWED, _("Mark as interviewed")),
        _advance(ApplicationStatus.HIRED, _("Mark as hired")),
        _advance(ApplicationStatus.REJECTED, _("Mark as not hired")),
    ]

    def get_fields(self, request, obj=None):
        return ("position", "worker", "applicant_name") if obj is None else self.readonly

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The change view is read-only; the actions need the change permission.
        return super().has_change_permission(request, obj) if obj is None else False
