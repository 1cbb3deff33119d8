"""One FilterSet per model of the whistles, shared by the API and the portal."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import filters as bounded
from organizations.models import Department
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import (
    DUE_ASSIGNMENT_STATUSES,
    OPEN_STATUSES,
    AssignmentStatus,
    WhistleCategory,
    WhistleStatus,
)
from .models import IndustryChain, Policy, Whistle, WhistleAssignment


class WhistleFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    chain = django_filters.ModelChoiceFilter(
        label=_("Industry chain"), queryset=IndustryChain.objects.all(), to_field_name="code"
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=WhistleCategory.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WhistleStatus.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.all(),
        to_field_name="code",
        field_name="assignments__department",
        distinct=True,
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    region = RegionSubtreeFilter(label=_("Region (code)"), region_path="enterprise__region")
    raised_from = bounded.DateFilter(
        label=_("Raised from"), field_name="raised_at", lookup_expr="date__gte"
    )
    raised_to = bounded.DateFilter(
        label=_("Raised until"), field_name="raised_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Whistle
        fields = ["q", "chain", "category", "status", "department", "overdue", "region"]

    def filter_q(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(enterprise__name__icontains=value)
        )

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        late = Exists(
            WhistleAssignment.objects.filter(
                whistle=OuterRef("pk"),
                status__in=DUE_ASSIGNMENT_STATUSES,
                due_at__lte=timezone.now(),
            )
        )
        condition = Q(late) & Q(status__in=OPEN_STATUSES)
        return qs.filter(condition) if value else qs.exclude(condition)


class WhistleAssignmentFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssignmentStatus.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), to_field_name="code"
    )
    whistle = bounded.IdFilter(label=_("Whistle (id)"), field_name="whistle_id")

    class Meta:
        model = WhistleAssignment
        fields = ["status", "department", "whistle"]


class PolicyFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=WhistleCategory.choices)

    class Meta:
        model = Policy
        fields = ["q", "category"]


class IndustryChainFilterSet(ScopedFilterSet):
    class Meta:
        model = IndustryChain
        fields = ["code"]
