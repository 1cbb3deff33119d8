"""One FilterSet per model of the two finds, shared by the portal ledgers and the API."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Industry, PartyOrganization
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import (
    CLOSED_CASE_STATUSES,
    CaseOrigin,
    CaseStatus,
    MatchRule,
    MemberStatus,
    PoliticalStatus,
    ProposalStatus,
)
from .models import Case, MatchProposal, Worker


class CaseFilterSet(ScopedFilterSet):
    """Filters of the three ledgers (each page shows the ones that make sense for it)."""

    q = django_filters.CharFilter(label=_("Name or reference number"), method="filter_q")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    origin = django_filters.MultipleChoiceFilter(label=_("Found by"), choices=CaseOrigin.choices)
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=get_user_model().objects.filter(is_active=True)
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), to_field_name="code"
    )
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    organization = django_filters.ModelChoiceFilter(
        label=_("Placed in"), queryset=PartyOrganization.objects.all()
    )
    member_status = django_filters.ChoiceFilter(
        label=_("Membership status"), field_name="member__status", choices=MemberStatus.choices
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    opened_after = django_filters.DateFilter(
        label=_("Opened on or after"), field_name="created_at", lookup_expr="date__gte"
    )
    opened_before = django_filters.DateFilter(
        label=_("Opened on or before"), field_name="created_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Case
        fields = ["q", "status", "origin", "owner", "industry", "region", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Owners: only users the requester may hand a case to (never partner systems).
        from .selectors import case_owner_choices

        request = kwargs.get("request")
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            self.filters["owner"].queryset = case_owner_choices(user)

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(member__name__icontains=value)
            | Q(worker__name__icontains=value)
            | Q(claim__name__icontains=value)
            | Q(claim__reference__iexact=value)
        )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(due_on__lt=timezone.localdate()) & ~Q(status__in=CLOSED_CASE_STATUSES)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class MatchProposalFilterSet(ScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ProposalStatus.choices)
    rule = django_filters.ChoiceFilter(label=_("Rule"), choices=MatchRule.choices)
    min_score = django_filters.NumberFilter(
        label=_("Score at least"), field_name="score", lookup_expr="gte"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"),
        field_name="worker__industry",
        queryset=Industry.objects.all(),
        to_field_name="code",
    )
    region = RegionSubtreeFilter(
        label=_("Region (code, includes its subtree)"), region_path="worker__region"
    )

    class Meta:
        model = MatchProposal
        fields = ["status", "rule", "min_score", "industry", "region"]


class WorkerFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=pgettext_lazy("person", "Name"), field_name="name", lookup_expr="icontains"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), to_field_name="code"
    )
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    political_status = django_filters.MultipleChoiceFilter(
        label=_("Declared political status"), choices=PoliticalStatus.choices
    )
    source = django_filters.CharFilter(label=_("Source roster"))

    class Meta:
        model = Worker
        fields = ["q", "industry", "region", "political_status", "source"]
