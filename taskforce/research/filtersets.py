"""FilterSets of the field research, shared by the API and the portal."""

import django_filters
from django.utils.translation import gettext_lazy as _

from appeals.models import Category
from organizations.scoped import ScopedFilterSet

from ..choices import DemandOutcome
from ..measures.models import Measure
from .models import Campaign, Demand


class DemandFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Text"), field_name="text", lookup_expr="icontains")
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.all()
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Category.objects.all(), to_field_name="code"
    )
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=DemandOutcome.choices)
    measure = django_filters.ModelChoiceFilter(label=_("Measure"), queryset=Measure.objects.all())

    class Meta:
        model = Demand
        fields = ["q", "campaign", "topic", "outcome", "measure"]
