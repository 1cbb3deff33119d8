"""One FilterSet per model, shared by the API and the portal."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from organizations.models import Industry
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import StationKind, StationStatus
from .models import Facility, Station


class StationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or address"), method="filter_q")
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=StationKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StationStatus.choices)
    compliant = django_filters.BooleanFilter(label=_("Meets the 6+X standard"))
    is_24h = django_filters.BooleanFilter(label=_("Open 24 hours"))
    facility = django_filters.ModelChoiceFilter(
        label=_("Has facility"),
        queryset=Facility.objects.all(),
        to_field_name="code",
        method="filter_facility",
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Serves industry"),
        queryset=Industry.objects.all(),
        to_field_name="code",
        method="filter_industry",
    )

    class Meta:
        model = Station
        fields = ["q", "region", "kind", "status", "compliant", "is_24h", "facility", "industry"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))

    @extend_schema_field(OpenApiTypes.STR)  # a facility code
    def filter_facility(self, queryset, name, value):
        return queryset.filter(facility_rows__facility=value) if value else queryset

    @extend_schema_field(OpenApiTypes.STR)  # an industry code
    def filter_industry(self, queryset, name, value):
        # Filter on a subquery, so that the to-many join never repeats a station.
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Station.industries.through.objects.filter(industry=value).values("station_id")
        )
