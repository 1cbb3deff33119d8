"""The admin face of the mass organizations, on
:class:`~organizations.scoped.ScopedModelAdmin`; saves through
``ecosystem.massorgs.services``."""

from __future__ import annotations

from django.contrib import admin

from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .models import MassOrganization, MediationCase, ServiceProject

__all__ = ["MassOrganizationAdmin", "MediationCaseAdmin", "ServiceProjectAdmin"]


@admin.register(MassOrganization)
class MassOrganizationAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "attachment", "region", "leading_organization", "member_count")
    list_filter = ("kind", "attachment")
    search_fields = ("name",)
    list_select_related = ("region", "leading_organization")
    autocomplete_fields = ("enterprise", "industry", "region", "leading_organization")
    fields = (
        "kind",
        "name",
        "attachment",
        "enterprise",
        "industry",
        "region",
        "leading_organization",
        "member_count",
        "founded_on",
    )
    services = ServiceSet.of(services, "mass_organization")


@admin.register(ServiceProject)
class ServiceProjectAdmin(ScopedModelAdmin):
    list_display = (
        "name",
        "kind",
        "organization",
        "starts_on",
        "beneficiaries",
        "children_enrolled",
        "sessions",
    )
    list_filter = ("kind",)
    search_fields = ("name", "organization__name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    fields = (
        "organization",
        "kind",
        "name",
        "starts_on",
        "ends_on",
        "beneficiaries",
        "children_enrolled",
        "sessions",
        "amount",
    )
    services = ServiceSet.of(services, "service_project")


@admin.register(MediationCase)
class MediationCaseAdmin(ScopedModelAdmin):
    list_display = ("opened_on", "project", "status", "workers_involved", "amount_recovered")
    list_filter = ("status",)
    search_fields = ("summary", "project__name", "appeal__reference")
    list_select_related = ("project",)
    autocomplete_fields = ("project", "appeal")
    fields = (
        "project",
        "appeal",
        "opened_on",
        "closed_on",
        "workers_involved",
        "amount_recovered",
        "status",
        "summary",
    )
    services = ServiceSet.of(services, "mediation_case")
