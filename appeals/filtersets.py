"""One FilterSet per model, shared by the API and the portal."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import filters as bounded
from organizations.models import Enterprise, Industry, PartyOrganization
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import DUE_STATUSES, OPEN_STATUSES, Channel, EventKind, Level, Status, Urgency
from .models import Appeal, AppealEvent, Category

#: What the board shows (``?state=``); with no filter chosen it opens on "open".
STATE_CHOICES = (
    ("open", _("Open (overdue ones included)")),
    ("overdue", _("Overdue")),
    ("finished", _("Closed or archived")),
    ("all", pgettext_lazy("which appeals", "All")),
)


class AppealFilterSet(ScopedFilterSet):
    state = django_filters.ChoiceFilter(
        label=pgettext_lazy("which appeals", "Show"),
        choices=STATE_CHOICES,
        method="filter_state",
        empty_label=None,
    )
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
    hotspot = bounded.IdFilter(
        label=_("Hot-spot alert"), method="filter_hotspot", widget=forms.HiddenInput
    )

    class Meta:
        model = Appeal
        fields = [
            "state",
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
            "hotspot",
        ]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "overdue":
            return queryset.filter(status__in=DUE_STATUSES, due_at__lte=timezone.now())
        if value == "finished":
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset

    def filter_hotspot(self, queryset, name, value):
        """The appeals an alert counted: its category in its window, against its platform or
        at its place, duplicates left out. An alert outside the user's scope (or none) shows
        nothing, the same answer either way."""
        from .selectors import hotspot_alerts, hotspot_appeals_q

        user = getattr(self.request, "user", None)
        alert = hotspot_alerts(user, include_resolved=True).filter(pk=value).first()
        if alert is None:
            return queryset.none()
        return queryset.filter(hotspot_appeals_q(alert))

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
