"""One FilterSet per model, shared by the API and the portal."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import filters as bounded
from organizations.models import Enterprise, Industry, PartyOrganization
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import DUE_STATUSES, Channel, EventKind, Level, Status, Urgency
from .models import Appeal, AppealEvent, Category


class AppealFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Reference or description"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), to_field_name="code"
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    urgency = django_filters.ChoiceFilter(label=_("Urgency"), choices=Urgency.choices)
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), to_field_name="code"
    )
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    platform = django_filters.ModelChoiceFilter(
        label=_("Platform"), queryset=Enterprise.objects.filter(kind="platform_hq")
    )
    assigned_organization = django_filters.ModelChoiceFilter(
        label=_("Assigned organization"), queryset=PartyOrganization.objects.all()
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    received_after = bounded.DateFilter(
        label=_("Received on or after"), field_name="received_at", lookup_expr="date__gte"
    )
    received_before = bounded.DateFilter(
        label=_("Received on or before"), field_name="received_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Appeal
        fields = [
            "q",
            "status",
            "level",
            "category",
            "channel",
            "urgency",
            "industry",
            "region",
            "platform",
            "assigned_organization",
            "overdue",
            "received_after",
            "received_before",
        ]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__iexact=value) | Q(description__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=DUE_STATUSES, due_at__lte=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class AppealEventFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    appeal = bounded.IdFilter(label=_("Appeal (id)"), field_name="appeal_id")
    after = bounded.IsoDateTimeFilter(label=_("At or after"), field_name="at", lookup_expr="gte")

    class Meta:
        model = AppealEvent
        fields = ["kind", "appeal", "after"]
