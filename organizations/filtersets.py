"""One FilterSet per model, shared by the API and the portal."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import BoundedFilterSet

from .choices import CoverageMode, EnterpriseKind, EnterpriseStatus, OrganizationKind
from .models import Enterprise, Industry, PartyOrganization, Region
from .scoped import RegionSubtreeFilter, ScopedFilterSet


class EnterpriseFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or USCC"), method="filter_q")
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), to_field_name="code"
    )
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    coverage_mode = django_filters.MultipleChoiceFilter(
        label=_("Coverage"), choices=CoverageMode.choices
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EnterpriseKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnterpriseStatus.choices)
    platform = django_filters.ModelChoiceFilter(
        label=_("Platform"),
        queryset=Enterprise.objects.filter(kind=EnterpriseKind.PLATFORM_HQ),
    )
    party_organization = django_filters.ModelChoiceFilter(
        label=_("Covering organization"), queryset=PartyOrganization.objects.all()
    )

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "region", "coverage_mode", "kind", "status", "platform"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__istartswith=value.upper()))


class PartyOrganizationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_q")
    ancestor = django_filters.ModelChoiceFilter(
        label=_("Within (subtree of)"),
        queryset=PartyOrganization.objects.all(),
        method="filter_ancestor",
    )
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=OrganizationKind.choices)
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), to_field_name="code"
    )
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))

    class Meta:
        model = PartyOrganization
        fields = ["q", "ancestor", "kind", "industry", "region", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    @extend_schema_field(OpenApiTypes.INT)  # the id of the organization
    def filter_ancestor(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path) if value else queryset


class RegionFilterSet(BoundedFilterSet):
    ancestor = django_filters.CharFilter(label=_("Within (code)"), method="filter_ancestor")

    class Meta:
        model = Region
        fields = ["level", "ancestor", "code"]

    def filter_ancestor(self, queryset, name, value):
        region = Region.objects.filter(code=value).first()
        return queryset.filter(path__startswith=region.path) if region else queryset.none()
