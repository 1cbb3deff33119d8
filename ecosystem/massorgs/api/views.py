"""The REST face of the mass organizations: ``/api/v1/mass-organizations/``,
``/api/v1/service-projects/`` and ``/api/v1/mediation-cases/``; scoped CRUD through
``ecosystem.massorgs.services``."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from organizations.scoped import ScopedModelViewSet, ServiceSet

from .. import services
from ..filtersets import MassOrganizationFilterSet, MediationCaseFilterSet, ServiceProjectFilterSet
from ..models import MassOrganization, MediationCase, ServiceProject
from .serializers import (
    MassOrganizationSerializer,
    MediationCaseSerializer,
    ServiceProjectSerializer,
)

TAG = ["mass organizations"]


def _crud(noun):
    return extend_schema_view(
        list=extend_schema(tags=TAG, summary=format_lazy(_("List: {}"), noun)),
        retrieve=extend_schema(tags=TAG, summary=format_lazy(_("Show one: {}"), noun)),
        create=extend_schema(tags=TAG, summary=format_lazy(_("Create: {}"), noun)),
        update=extend_schema(tags=TAG, summary=format_lazy(_("Replace: {}"), noun)),
        partial_update=extend_schema(tags=TAG, summary=format_lazy(_("Change: {}"), noun)),
        destroy=extend_schema(tags=TAG, summary=format_lazy(_("Delete: {}"), noun)),
    )


@_crud(_("mass organizations"))
class MassOrganizationViewSet(ScopedModelViewSet):
    queryset = MassOrganization.objects.select_related(
        "leading_organization", "region", "industry"
    ).order_by("kind", "name", "id")
    serializer_class = MassOrganizationSerializer
    filterset_class = MassOrganizationFilterSet
    services = ServiceSet.of(services, "mass_organization")


@_crud(_("service projects"))
class ServiceProjectViewSet(ScopedModelViewSet):
    queryset = ServiceProject.objects.order_by("-starts_on", "id")
    serializer_class = ServiceProjectSerializer
    filterset_class = ServiceProjectFilterSet
    services = ServiceSet.of(services, "service_project")


@_crud(_("mediation cases"))
class MediationCaseViewSet(ScopedModelViewSet):
    queryset = MediationCase.objects.order_by("-opened_on", "id")
    serializer_class = MediationCaseSerializer
    filterset_class = MediationCaseFilterSet
    services = ServiceSet.of(services, "mediation_case")
