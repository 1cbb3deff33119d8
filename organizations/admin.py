"""The admin face of organizations, built on :class:`~organizations.scoped.ScopedModelAdmin`.

Every changelist, change view, foreign-key choice, autocomplete answer and list filter is
narrowed by ``organizations.scoping``; every save and delete goes through ``services``, so the
admin cannot disagree with the API or the portal. Reference data (regions, departments,
industries) and scope grants are changed by city-wide staff only.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import scoping, services
from .choices import OrganizationStatus
from .inlines import ScopedReadOnlyInline
from .models import (
    Department,
    Enterprise,
    Industry,
    Instructor,
    InstructorAssignment,
    InstructorEvaluation,
    PartyOrganization,
    Region,
    ScopeGrant,
)
from .scoped import ScopedModelAdmin, ServiceSet

RelatedOnly = admin.RelatedOnlyFieldListFilter


def _label(model, field_name: str):
    """A field's verbose name (lazy, capitalized), for headings that name a model field."""
    return capfirst(model._meta.get_field(field_name).verbose_name)


# --- permissions -------------------------------------------------------------------------------


class CityWideWritesMixin:
    """Reference data: every admin user with the view permission reads it; only city-wide staff
    add, change or delete it (the services refuse anyone else, and the buttons do not show)."""

    scope_policy = "reference"

    def _city_wide(self, request) -> bool:
        return scoping.is_city_wide(request.user)

    def has_add_permission(self, request, *args) -> bool:
        return self._city_wide(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._city_wide(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._city_wide(request) and super().has_delete_permission(request, obj)


class CityWideOnlyMixin(CityWideWritesMixin):
    """Not even shown to anyone but city-wide staff."""

    scope_policy = "city_wide"

    def has_view_permission(self, request, obj=None) -> bool:
        return self._city_wide(request) and super().has_view_permission(request, obj)

    def has_module_permission(self, request) -> bool:
        return self._city_wide(request) and super().has_module_permission(request)


# --- reference data ----------------------------------------------------------------------------


@admin.register(Region)
class RegionAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("code", "name", "level", "parent", "managed_by")
    list_filter = ("level",)
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent", "managed_by")
    autocomplete_fields = ("parent", "managed_by")
    fields = ("code", "name", "short_name", "level", "parent", "managed_by", "path", "depth")
    readonly_fields = ("path", "depth")
    services = ServiceSet.of(services, "region")


@admin.register(Department)
class DepartmentAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("code", "name", "short_name")
    search_fields = ("code", "name", "short_name")
    services = ServiceSet.of(services, "department")


@admin.register(Industry)
class IndustryAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("code", "name", "department", "sort_order")
    list_filter = (("department", RelatedOnly),)
    search_fields = ("code", "name")
    list_select_related = ("department",)
    services = ServiceSet.of(services, "industry")


# --- party organizations -----------------------------------------------------------------------


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ScopedModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "basis",
        "industry",
        "region",
        "parent",
        "status",
        "covered_count",
    )
    list_filter = (
        "kind",
        "basis",
        "status",
        ("industry", RelatedOnly),
        ("region", RelatedOnly),
    )
    search_fields = ("name", "code", "secretary_name")
    list_select_related = ("industry", "region", "parent")
    autocomplete_fields = ("parent", "host_enterprise", "region")
    fields = (
        "code",
        "name",
        "short_name",
        "kind",
        "basis",
        "parent",
        "industry",
        "region",
        "host_enterprise",
        "secretary_name",
        "founded_on",
        "term_ends_on",
        "status",
        "path",
        "depth",
    )
    # An organization is dissolved through the "dissolve" action, which checks its children.
    readonly_fields = ("status", "path", "depth")
    actions = ("dissolve",)
    services = ServiceSet.of(services, "organization")

    def get_queryset(self, request):
        covered = (
            Enterprise.objects.filter(party_organization=OuterRef("pk"))
            .order_by()
            .values("party_organization")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(covered_count=Coalesce(Subquery(covered, output_field=IntegerField()), 0))
        )

    @admin.display(description=_("covered enterprises"), ordering="covered_count")
    def covered_count(self, obj) -> int:
        return obj.covered_count

    @admin.action(description=_("Dissolve the selected organizations"), permissions=["change"])
    def dissolve(self, request, queryset):
        done = 0
        # Deepest first, so that a branch selected with its committee is dissolved before it.
        for organization in queryset.filter(status=OrganizationStatus.ACTIVE).order_by("-depth"):
            try:
                services.organization_dissolve(actor=request.user, organization=organization)
            except ValidationError as exc:
                self.message_user(
                    request, f"{organization}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d organization was dissolved.",
                    "%(count)d organizations were dissolved.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )


# --- enterprises -------------------------------------------------------------------------------


class EnterpriseAssignmentInline(ScopedReadOnlyInline):
    model = InstructorAssignment
    fk_name = "enterprise"
    fields = ("instructor", "started_on", "ended_on")
    select_related = ("instructor",)


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedModelAdmin):
    list_display = (
        "name",
        "uscc",
        "kind",
        "industry",
        "region",
        "coverage_mode",
        "worker_count",
        "party_organization",
        "status",
    )
    list_filter = (
        ("industry", RelatedOnly),
        ("region", RelatedOnly),
        "coverage_mode",
        "kind",
        "status",
    )
    search_fields = ("name", "uscc")
    list_select_related = ("industry", "region", "party_organization")
    autocomplete_fields = ("region", "platform", "party_organization")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "uscc",
                    "uscc_warnings",
                    "name",
                    "kind",
                    "platform",
                    "industry",
                    "region",
                    "address",
                    "contact_name",
                    "contact_phone",
                    "worker_count",
                    "status",
                )
            },
        ),
        (
            _label(Enterprise, "coverage_mode"),
            {
                "fields": (
                    "party_organization",
                    "has_liaison",
                    "has_union_or_league",
                    "coverage_mode",
                ),
                "description": _(
                    "The coverage is derived on every save from the covering organization, "
                    "open instructor assignments, a liaison or a union or youth-league group; "
                    "it cannot be typed."
                ),
            },
        ),
    )
    readonly_fields = ("uscc_warnings", "coverage_mode")
    inlines = (EnterpriseAssignmentInline,)
    actions = ("recompute_coverage",)
    services = ServiceSet.of(services, "enterprise")

    @admin.display(description=_("USCC warnings"))
    def uscc_warnings(self, obj):
        warnings = obj.uscc_warnings if obj is not None and obj.uscc else []
        if not warnings:
            return self.get_empty_value_display()
        return format_html_join("", "<div>{}</div>", ((w,) for w in warnings))

    @admin.action(description=_("Recompute coverage"), permissions=["change"])
    def recompute_coverage(self, request, queryset):
        # ``queryset`` is the scoped changelist narrowed to the selection.
        count = services.enterprises_refresh_coverage(
            enterprises=Enterprise.objects.filter(pk__in=queryset.order_by().values("pk"))
        )
        self.message_user(
            request,
            ngettext(
                "The coverage of %(count)d enterprise was recomputed.",
                "The coverage of %(count)d enterprises was recomputed.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# --- instructors -------------------------------------------------------------------------------


class InstructorEvaluationInline(ScopedReadOnlyInline):
    model = InstructorEvaluation
    fields = ("year", "grade")
    show_change_link = True


class InstructorAssignmentInline(ScopedReadOnlyInline):
    model = InstructorAssignment
    fk_name = "instructor"
    fields = ("enterprise", "started_on", "ended_on")
    select_related = ("enterprise",)


@admin.register(Instructor)
class InstructorAdmin(ScopedModelAdmin):
    list_display = ("name", "department", "organization", "active")
    list_filter = ("active", ("department", RelatedOnly), "organization")
    search_fields = ("name",)
    list_select_related = ("department", "organization")
    autocomplete_fields = ("organization",)
    inlines = (InstructorEvaluationInline, InstructorAssignmentInline)
    services = ServiceSet.of(services, "instructor")


@admin.register(InstructorAssignment)
class InstructorAssignmentAdmin(ScopedModelAdmin):
    list_display = ("instructor", "enterprise", "started_on", "ended_on")
    list_filter = (("ended_on", admin.EmptyFieldListFilter), "started_on")
    search_fields = ("instructor__name", "enterprise__name", "enterprise__uscc")
    list_select_related = ("instructor", "enterprise")
    autocomplete_fields = ("instructor", "enterprise")
    date_hierarchy = "started_on"
    services = ServiceSet.of(services, "assignment")


@admin.register(InstructorEvaluation)
class InstructorEvaluationAdmin(ScopedModelAdmin):
    list_display = ("instructor", "year", "grade")
    list_filter = ("year", "grade")
    search_fields = ("instructor__name",)
    list_select_related = ("instructor",)
    autocomplete_fields = ("instructor",)
    services = ServiceSet.of(services, "evaluation")


# --- scope grants ------------------------------------------------------------------------------


@admin.register(ScopeGrant)
class ScopeGrantAdmin(CityWideOnlyMixin, ScopedModelAdmin):
    list_display = (
        "user",
        "kind",
        "organization",
        "region",
        "platform",
        "department",
        "note",
        "created_at",
    )
    list_filter = ("kind",)
    search_fields = ("user__username", "note")
    list_select_related = ("user", "organization", "region", "platform", "department")
    autocomplete_fields = ("organization", "region", "platform")
    fields = (
        "user",
        "kind",
        "organization",
        "region",
        "platform",
        "department",
        "note",
        "created_at",
    )
    readonly_fields = ("created_at",)
    services = ServiceSet.of(services, "grant")

    def has_change_permission(self, request, obj=None) -> bool:
        # A grant is replaced, not edited: there is no update service.
        return False
