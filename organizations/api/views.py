"""REST endpoints for organizations: scoped reads, writes through the services."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from .. import services
from ..filtersets import (
    EnterpriseFilterSet,
    InstructorAssignmentFilterSet,
    InstructorFilterSet,
    PartyOrganizationFilterSet,
    RegionFilterSet,
)
from ..models import (
    Department,
    Enterprise,
    Industry,
    Instructor,
    InstructorAssignment,
    PartyOrganization,
    Region,
)
from ..scoped import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceSet
from . import serializers as s

_SUMMARIES = {
    "list": _("List {things}"),
    "retrieve": _("Show one of the {things}"),
    "create": _("Create one of the {things}"),
    "update": _("Replace one of the {things}"),
    "partial_update": _("Change some fields of one of the {things}"),
    "destroy": _("Delete one of the {things}"),
}
_READ = ("list", "retrieve")
_CRUD = tuple(_SUMMARIES)


def _docs(tag: str, things, description, actions=_CRUD):
    """Tag, summary and (translatable) description of each action of a viewset."""
    return extend_schema_view(
        **{
            action: extend_schema(
                tags=[tag],
                summary=format_lazy(_SUMMARIES[action], things=things),
                description=description,
            )
            for action in actions
        }
    )


# --- reference data ------------------------------------------------------------------------


@_docs(
    "regions",
    _("regions"),
    _(
        "Administrative divisions (GB/T 2260 codes) and management zones, in tree order. "
        "`?ancestor=<code>` lists a region's subtree (the region included)."
    ),
    _READ,
)
class RegionViewSet(ScopedReadOnlyViewSet):
    queryset = Region.objects.select_related("parent", "managed_by")
    serializer_class = s.RegionSerializer
    filterset_class = RegionFilterSet


@_docs(
    "departments",
    _("departments"),
    _("Member units of the task force, e.g. the postal administration."),
    _READ,
)
class DepartmentViewSet(ScopedReadOnlyViewSet):
    queryset = Department.objects.all()
    serializer_class = s.DepartmentSerializer


@_docs(
    "industries",
    _("industries"),
    _("Sectors of the new employment groups, looked up by their code."),
    _READ,
)
class IndustryViewSet(ScopedReadOnlyViewSet):
    queryset = Industry.objects.select_related("department")
    serializer_class = s.IndustrySerializer
    lookup_field = "code"


# --- party organizations and enterprises -------------------------------------------------------


@_docs(
    "organizations",
    _("party organizations"),
    _(
        "The party-organization tree within your scope. `?ancestor=<id>` lists an "
        "organization's subtree (the organization included). Writes are checked against the "
        "tree's rules and your scope; nothing is saved when one fails."
    ),
)
class PartyOrganizationViewSet(ScopedModelViewSet):
    queryset = PartyOrganization.objects.select_related("parent", "industry", "region")
    serializer_class = s.PartyOrganizationSerializer
    filterset_class = PartyOrganizationFilterSet
    services = ServiceSet.of(services, "organization")


@_docs(
    "enterprises",
    _("enterprises"),
    _(
        "Enterprises, platforms, outlets, MCN agencies and fleets within your scope; a partner "
        "system sees its own platform and its units. `coverage_mode` is derived from the "
        "covering organization and the work-coverage links and cannot be written."
    ),
)
class EnterpriseViewSet(ScopedModelViewSet):
    queryset = Enterprise.objects.select_related("industry", "region")
    serializer_class = s.EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    services = ServiceSet.of(services, "enterprise")


# --- instructors ---------------------------------------------------------------------------


@_docs(
    "instructors",
    _("party-building instructors"),
    _("Party-building instructors sent by departments, managed by an organization."),
)
class InstructorViewSet(ScopedModelViewSet):
    queryset = Instructor.objects.select_related("department", "organization")
    serializer_class = s.InstructorSerializer
    filterset_class = InstructorFilterSet
    services = ServiceSet.of(services, "instructor")


@_docs(
    "instructors",
    _("instructor assignments"),
    _(
        "An instructor sent to guide an enterprise; an open assignment (no `ended_on`) gives "
        "the enterprise work coverage."
    ),
)
class InstructorAssignmentViewSet(ScopedModelViewSet):
    queryset = InstructorAssignment.objects.select_related("instructor", "enterprise")
    serializer_class = s.InstructorAssignmentSerializer
    filterset_class = InstructorAssignmentFilterSet
    services = ServiceSet.of(services, "assignment")
