"""FilterSets of the 18 measures, shared by the API and the portal."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core import filters as bounded
from organizations.models import Department
from organizations.scoped import ScopedFilterSet

from .models import Indicator, IndicatorReport, Measure


class IndicatorReportFilterSet(ScopedFilterSet):
    indicator = django_filters.ModelChoiceFilter(
        label=_("Indicator"), queryset=Indicator.objects.all()
    )
    measure = django_filters.ModelChoiceFilter(
        label=_("Measure"), queryset=Measure.objects.all(), field_name="indicator__measure"
    )
    year = bounded.YearFilter(label=_("Year"), field_name="indicator__year")
    quarter = bounded.NumberFilter(label=_("Quarter"), min_value=1, max_value=4)
    unit = django_filters.ModelChoiceFilter(
        label=_("Reporting unit"),
        queryset=Department.objects.all(),
        field_name="indicator__department",
    )

    class Meta:
        model = IndicatorReport
        fields = ["indicator", "measure", "year", "quarter", "unit"]


class IndicatorFilterSet(ScopedFilterSet):
    measure = django_filters.ModelChoiceFilter(label=_("Measure"), queryset=Measure.objects.all())
    year = bounded.YearFilter(label=_("Year"))
    unit = django_filters.ModelChoiceFilter(
        label=_("Reporting unit"), queryset=Department.objects.all(), field_name="department"
    )

    class Meta:
        model = Indicator
        fields = ["measure", "year", "unit"]
