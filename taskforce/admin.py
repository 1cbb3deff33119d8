"""The admin face of the task force, on the scoped base admin: lists, change views and choices
go through ``organizations.scoping`` (a member unit's staff see their unit's records; anything
else answers 404) and every save goes through the services (so the admin refuses what the API
refuses, with the same field errors)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import pii
from organizations.admin import CityWideWritesMixin
from organizations.inlines import ScopedReadOnlyInline, ScopedServiceInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .measures import admin as _measures_admin  # noqa: F401  (registers the measures' admins)
from .models import (
    Decision,
    Meeting,
    MeetingDocument,
    MemberUnit,
    Task,
    TaskForce,
    TaskReport,
    UnitContact,
)
from .research import admin as _research_admin  # noqa: F401  (registers the research admins)


@admin.register(TaskForce)
class TaskForceAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("name", "lead_unit", "lead", "escalation_grace_days")
    fields = ("name", "lead_unit", "lead", "escalation_grace_days")
    services = ServiceSet.of(services, "task_force")


def _masked_phone(obj) -> str:
    return pii.display(obj, "phone") if obj and obj.pk else ""


class ContactInline(ScopedServiceInline):
    """Contacts by name and title; a phone is entered (and shown masked) under "unit
    contacts", never rendered in clear once stored."""

    model = UnitContact
    fields = ("name", "title", "masked_phone", "user")
    readonly_fields = ("masked_phone",)
    services = ServiceSet.of(services, "contact")

    @admin.display(description=_("phone"))
    def masked_phone(self, obj) -> str:
        return _masked_phone(obj)


@admin.register(UnitContact)
class UnitContactAdmin(ScopedModelAdmin):
    list_display = ("name", "title", "unit", "masked_phone")
    list_select_related = ("unit__department",)
    search_fields = ("name",)
    readonly_fields = ("masked_phone",)
    services = ServiceSet.of(services, "contact")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("unit", "name", "title", "phone", "user")
        return ("unit", "name", "title", "masked_phone", "user")

    @admin.display(description=_("phone"))
    def masked_phone(self, obj) -> str:
        return _masked_phone(obj)


@admin.register(MemberUnit)
class MemberUnitAdmin(ScopedModelAdmin):
    list_display = ("department", "joined_on", "active")
    list_select_related = ("department",)
    fields = ("department", "duties", "joined_on", "active")
    inlines = (ContactInline,)
    services = ServiceSet.of(services, "unit")


class DocumentInline(ScopedServiceInline):
    model = MeetingDocument
    fields = ("title", "link", "file_name")
    services = ServiceSet.of(services, "document")


class DecisionInline(ScopedServiceInline):
    model = Decision
    fields = ("number", "text")
    services = ServiceSet.of(services, "decision")


@admin.register(Meeting)
class MeetingAdmin(ScopedModelAdmin):
    list_display = ("held_on", "kind", "title", "chaired_by")
    list_filter = ("kind",)
    search_fields = ("title",)
    date_hierarchy = "held_on"
    filter_horizontal = ("attending_units",)
    fields = (
        "kind",
        "title",
        "held_on",
        "place",
        "chaired_by",
        "attending_units",
        "attendees",
        "minutes",
    )
    inlines = (DecisionInline, DocumentInline)
    services = ServiceSet.of(services, "meeting")


class ReportInline(ScopedReadOnlyInline):
    model = TaskReport
    fields = ("reported_on", "progress", "text", "reported_by")
    readonly_fields = fields
    verbose_name_plural = _("progress reports (add them on the portal's task page or the API)")


@admin.register(Task)
class TaskAdmin(ScopedModelAdmin):
    list_display = ("title", "unit", "due_on", "status", "progress", "escalated_at")
    list_filter = ("status", "unit")
    search_fields = ("title",)
    list_select_related = ("unit",)
    fields = ("decision", "title", "detail", "unit", "due_on", "status", "completed_on")
    readonly_fields = ("progress", "due_at", "escalate_at", "escalated_at", "escalated_to")
    raw_id_fields = ("decision",)
    inlines = (ReportInline,)
    services = ServiceSet.of(services, "task")

    def get_fields(self, request, obj=None):
        return (*self.fields, *self.readonly_fields)
