"""One FilterSet per model of the mass organizations, shared by the API and the portal."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core import filters as bounded
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import Attachment, MassOrgKind, MediationStatus, ProjectKind
from .models import MassOrganization, MediationCase, ServiceProject


class MassOrganizationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MassOrgKind.choices)
    attachment = django_filters.ChoiceFilter(label=_("Attached to"), choices=Attachment.choices)
    region = RegionSubtreeFilter(label=_("Region (code)"))

    class Meta:
        model = MassOrganization
        fields = ["q", "kind", "attachment", "region"]


class ServiceProjectFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProjectKind.choices)
    organization = bounded.IdFilter(label=_("Mass organization (id)"), field_name="organization_id")

    class Meta:
        model = ServiceProject
        fields = ["q", "kind", "organization"]


class MediationCaseFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MediationStatus.choices)
    project = bounded.IdFilter(label=_("Project (id)"), field_name="project_id")

    class Meta:
        model = MediationCase
        fields = ["status", "project"]
