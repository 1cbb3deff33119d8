"""One FilterSet per model, shared by the API and the portal."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import filters as bounded
from organizations.models import PartyOrganization
from organizations.scoped import ScopedFilterSet

from .choices import DuesCategory, MeetingKind, MeetingStatus, PaymentChannel, Rating
from .models import DuesDeclaration, DuesHandover, DuesPayment, Election, Evaluation, Meeting


def _org_filter(label=None, field_name="organization"):
    return django_filters.ModelChoiceFilter(
        label=label or _("Party organization"),
        queryset=PartyOrganization.objects.all(),
        field_name=field_name,
    )


class MeetingFilterSet(ScopedFilterSet):
    organization = _org_filter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices)
    year = bounded.YearFilter(label=_("Year"), field_name="starts_at", lookup_expr="year")

    class Meta:
        model = Meeting
        fields = ["organization", "kind", "status", "year"]


class EvaluationFilterSet(ScopedFilterSet):
    organization = _org_filter()
    rating = django_filters.ChoiceFilter(label=_("Rating"), choices=Rating.choices)
    year = bounded.YearFilter(label=_("Year"))

    class Meta:
        model = Evaluation
        fields = ["organization", "rating", "year"]


class DuesDeclarationFilterSet(ScopedFilterSet):
    organization = _org_filter(field_name="member__organization")
    category = django_filters.ChoiceFilter(label=_("Dues category"), choices=DuesCategory.choices)
    year = bounded.YearFilter(label=_("Year"))

    class Meta:
        model = DuesDeclaration
        fields = ["organization", "category", "year"]


class DuesPaymentFilterSet(ScopedFilterSet):
    organization = _org_filter(label=_("Collecting organization"))
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=PaymentChannel.choices)
    below_standard = django_filters.BooleanFilter(label=_("Below the standard"))
    year = bounded.YearFilter(label=_("Year"), field_name="paid_on", lookup_expr="year")
    member = django_filters.CharFilter(label=_("Member (roster id)"), method="filter_member")

    class Meta:
        model = DuesPayment
        fields = ["organization", "channel", "below_standard", "year", "member"]

    def filter_member(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(Q(member__member_id=value)) if value else queryset


class DuesHandoverFilterSet(ScopedFilterSet):
    organization = _org_filter(label=_("Handing organization"))

    class Meta:
        model = DuesHandover
        fields = ["organization"]


class ElectionFilterSet(ScopedFilterSet):
    organization = _org_filter()
    year = bounded.YearFilter(label=_("Year"), field_name="held_on", lookup_expr="year")

    class Meta:
        model = Election
        fields = ["organization", "year"]
