"""One FilterSet per model, shared by the API and the portal."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import filters as bounded
from organizations.models import Industry, PartyOrganization
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import Stage, StepCode
from .models import Candidate, Step


class CandidateFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("Developing organization"),
        queryset=PartyOrganization.objects.all(),
        to_field_name="code",
        method="filter_organization",
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), to_field_name="code"
    )
    region = RegionSubtreeFilter(label=_("Region code"))
    applied_after = bounded.DateFilter(
        label=_("Applied on or after"), field_name="applied_on", lookup_expr="gte"
    )
    applied_before = bounded.DateFilter(
        label=_("Applied on or before"), field_name="applied_on", lookup_expr="lte"
    )

    class Meta:
        model = Candidate
        fields = ["q", "stage", "organization", "industry", "region"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(Q(name__icontains=value)) if value else queryset

    def filter_organization(self, queryset, name, value):
        """The organization and its subtree (a committee's ledger covers its branches)."""
        if not value:
            return queryset
        return queryset.filter(organization__path__startswith=value.path)


class StepFilterSet(ScopedFilterSet):
    candidate = bounded.IdFilter(label=_("Candidate"), field_name="candidate_id")
    code = django_filters.ChoiceFilter(label=_("Step"), choices=StepCode.choices)
    on_after = bounded.DateFilter(label=_("On or after"), field_name="on", lookup_expr="gte")
    on_before = bounded.DateFilter(label=_("On or before"), field_name="on", lookup_expr="lte")

    class Meta:
        model = Step
        fields = ["candidate", "code"]
