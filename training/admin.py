"""The admin face of training, on :class:`~organizations.scoped.ScopedModelAdmin`: lists,
change views and choices are scoped (by organizer organization), saves and deletes go
through ``services``. The catalogue is read by everyone and changed by city-wide staff."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import ReadOnlyAdminMixin
from organizations import scoping
from organizations.admin import CityWideWritesMixin
from organizations.inlines import ScopedReadOnlyInline, ScopedServiceInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .models import (
    Attendance,
    Course,
    EducationSite,
    Enrollment,
    LearningResource,
    Lecturer,
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
    ResourcePack,
    ResourceProgress,
    Session,
    TrainingClass,
)


@admin.register(Lecturer)
class LecturerAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("name", "kind", "department", "title", "active")
    list_filter = ("kind", "active", "department")
    search_fields = ("name", "title")
    list_select_related = ("department",)
    services = ServiceSet.of(services, "lecturer")


@admin.register(Course)
class CourseAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("title", "topic", "format", "hours", "active")
    list_filter = ("topic", "format", "active")
    search_fields = ("title",)
    filter_horizontal = ("lecturers", "industries")
    services = ServiceSet.of(services, "course")


@admin.register(EducationSite)
class EducationSiteAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("name", "kind", "region", "vr_url", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "address")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    services = ServiceSet.of(services, "site")


class LearningResourceInline(ScopedServiceInline):
    model = LearningResource
    services = ServiceSet.of(services, "resource")
    fields = ("title", "kind", "url", "minutes", "sort_order")

    # Items are catalogue rows too: only city-wide staff change them.
    def has_add_permission(self, request, obj=None) -> bool:
        return scoping.is_city_wide(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return scoping.is_city_wide(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return scoping.is_city_wide(request.user) and super().has_delete_permission(request, obj)


@admin.register(ResourcePack)
class ResourcePackAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("title", "topic", "active")
    list_filter = ("topic", "active")
    search_fields = ("title",)
    inlines = (LearningResourceInline,)
    services = ServiceSet.of(services, "pack")


@admin.register(LearningResource)
class LearningResourceAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("title", "pack", "kind", "minutes")
    list_filter = ("kind",)
    search_fields = ("title", "pack__title")
    list_select_related = ("pack",)
    services = ServiceSet.of(services, "resource")


class SessionInline(ScopedReadOnlyInline):
    model = Session
    fields = ("starts_at", "ends_at", "course", "lecturer", "hours", "check_in_code")
    readonly_fields = fields


@admin.register(TrainingClass)
class TrainingClassAdmin(ScopedModelAdmin):
    list_display = ("name", "organizer", "region", "starts_on", "ends_on", "capacity", "status")
    list_filter = ("status", "organizer")
    search_fields = ("name", "place")
    list_select_related = ("organizer", "region")
    autocomplete_fields = ("organizer", "region")
    filter_horizontal = ("courses", "industries")
    date_hierarchy = "starts_on"
    inlines = (SessionInline,)
    services = ServiceSet.of(services, "training_class")


@admin.register(Session)
class SessionAdmin(ScopedModelAdmin):
    list_display = ("__str__", "training_class", "starts_at", "course", "lecturer", "hours")
    list_select_related = ("training_class", "course", "lecturer")
    search_fields = ("title", "training_class__name")
    autocomplete_fields = ("training_class",)
    readonly_fields = ("check_in_code",)
    date_hierarchy = "starts_at"
    services = ServiceSet.of(services, "session")


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("worker", "training_class", "source", "sessions_attended", "completed")
    list_filter = ("completed", "source")
    list_select_related = ("worker", "training_class")
    search_fields = ("training_class__name", "worker__name")
    services = ServiceSet.of(services, "enrollment")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("worker", "session", "channel", "checked_in_at")
    list_filter = ("channel",)
    list_select_related = ("worker", "session", "session__training_class")
    search_fields = ("session__training_class__name", "worker__name")
    date_hierarchy = "checked_in_at"
    services = ServiceSet.of(services, "attendance")


@admin.register(PartyLesson)
class PartyLessonAdmin(ScopedModelAdmin):
    list_display = ("title", "organization", "speaker_name", "given_on", "audience_count")
    list_select_related = ("organization",)
    search_fields = ("title", "speaker_name")
    autocomplete_fields = ("organization", "attendees")
    date_hierarchy = "given_on"
    services = ServiceSet.of(services, "party_lesson")


@admin.register(OutreachEvent)
class OutreachEventAdmin(ScopedModelAdmin):
    list_display = ("title", "kind", "organizer", "industry", "region", "held_on", "audience_count")
    list_filter = ("kind", "industry")
    list_select_related = ("organizer", "industry", "region")
    search_fields = ("title", "speaker_name")
    autocomplete_fields = ("organizer", "region")
    date_hierarchy = "held_on"
    services = ServiceSet.of(services, "outreach_event")


@admin.register(PioneerDesignation)
class PioneerDesignationAdmin(ScopedModelAdmin):
    list_display = ("title", "kind", "holder", "plate", "account", "starts_on", "status")
    list_filter = ("kind", "status")
    list_select_related = ("holder",)
    search_fields = ("title", "plate", "account")
    autocomplete_fields = ("holder", "organization", "unit", "platform")
    services = ServiceSet.of(services, "designation")


@admin.register(ResourceProgress)
class ResourceProgressAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("worker", "resource", "views", "is_completed", "completed_at")
    list_select_related = ("worker", "resource")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("completed"), boolean=True)
    def is_completed(self, obj) -> bool:
        return obj.completed_at is not None
