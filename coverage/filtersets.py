"""The snapshot filters, shared by the API and the dashboard."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core import filters as bounded
from organizations.models import Industry, Region
from organizations.scoped import ScopedFilterSet

from .models import CoverageSnapshot


class CoverageSnapshotFilterSet(ScopedFilterSet):
    date = bounded.DateFilter(label=_("Date"), field_name="day")
    date_from = bounded.DateFilter(label=_("From (date)"), field_name="day", lookup_expr="gte")
    date_to = bounded.DateFilter(label=_("To (date)"), field_name="day", lookup_expr="lte")
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry (code)"), queryset=Industry.objects.all(), to_field_name="code"
    )
    all_industries = django_filters.BooleanFilter(
        label=_("Only the all-industry rows (true) or only the per-industry rows (false)"),
        field_name="industry",
        lookup_expr="isnull",
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region (code): that region's own rows"),
        queryset=Region.objects.all(),
        to_field_name="code",
    )

    class Meta:
        model = CoverageSnapshot
        fields = ["date", "date_from", "date_to", "industry", "all_industries", "region"]
