"""One FilterSet per model of the assistance funds, shared by the API and the portal."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from organizations.models import Industry, PartyOrganization
from organizations.scoped import ScopedFilterSet

from .choices import DisbursementPurpose, DisbursementStatus, FundSource, FundStatus
from .models import AssistanceFund, Disbursement
from .selectors import BENEFICIARY_INDUSTRY


class AssistanceFundFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    year = django_filters.NumberFilter(label=_("Year"))
    source = django_filters.ChoiceFilter(label=_("Source"), choices=FundSource.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FundStatus.choices)
    owner_organization = django_filters.ModelChoiceFilter(
        label=_("Owner organization (code)"),
        queryset=PartyOrganization.objects.all(),
        to_field_name="code",
    )

    class Meta:
        model = AssistanceFund
        fields = ["q", "year", "source", "status", "owner_organization"]


class DisbursementFilterSet(ScopedFilterSet):
    fund = django_filters.ModelChoiceFilter(label=_("Fund"), queryset=AssistanceFund.objects.all())
    year = django_filters.NumberFilter(label=_("Fund year"), field_name="fund__year")
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=DisbursementPurpose.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DisbursementStatus.choices)
    in_kind = django_filters.BooleanFilter(
        label=_("In kind"), field_name="item", lookup_expr="isnull", exclude=True
    )
    date_from = django_filters.DateFilter(
        label=_("From (date)"), field_name="disbursed_on", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(
        label=_("To (date)"), field_name="disbursed_on", lookup_expr="lte"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Beneficiary's industry"),
        queryset=Industry.objects.all(),
        to_field_name="code",
        method="filter_industry",
    )
    appeal_reference = django_filters.CharFilter(
        field_name="appeal__reference", lookup_expr="iexact", label=_("Appeal reference")
    )

    class Meta:
        model = Disbursement
        fields = [
            "fund",
            "year",
            "purpose",
            "status",
            "in_kind",
            "date_from",
            "date_to",
            "industry",
            "appeal_reference",
        ]

    @extend_schema_field(OpenApiTypes.STR)  # an industry code
    def filter_industry(self, queryset, name, value):
        if not value:
            return queryset
        # The same path as the totals by industry (assistance.selectors.BENEFICIARY_INDUSTRY).
        return queryset.alias(beneficiary_industry=BENEFICIARY_INDUSTRY).filter(
            beneficiary_industry=value.pk
        )
