"""One FilterSet per model of the job fairs, shared by the API and the portal."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core import filters as bounded
from organizations.models import PartyOrganization
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import (
    ApplicationChannel,
    ApplicationStatus,
    JobIndustry,
    LivePlatform,
    PositionStatus,
)
from .models import JobApplication, JobFair, Position


class JobFairFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    platform = django_filters.ChoiceFilter(label=_("Platform"), choices=LivePlatform.choices)
    host_organization = django_filters.ModelChoiceFilter(
        label=_("Host organization (code)"),
        queryset=PartyOrganization.objects.all(),
        to_field_name="code",
    )
    region = RegionSubtreeFilter(label=_("Region (code)"))
    held_from = bounded.DateFilter(label=_("Held from"), field_name="held_on", lookup_expr="gte")
    held_to = bounded.DateFilter(label=_("Held until"), field_name="held_on", lookup_expr="lte")

    class Meta:
        model = JobFair
        fields = ["q", "platform", "host_organization", "region", "held_from", "held_to"]


class PositionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    fair = bounded.IdFilter(label=_("Job fair (id)"), field_name="fair_id")
    industry = django_filters.ChoiceFilter(label=_("Industry"), choices=JobIndustry.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PositionStatus.choices)
    region = RegionSubtreeFilter(label=_("Region (code)"))

    class Meta:
        model = Position
        fields = ["q", "fair", "industry", "status", "region"]


class JobApplicationFilterSet(ScopedFilterSet):
    position = bounded.IdFilter(label=_("Position (id)"), field_name="position_id")
    fair = bounded.IdFilter(label=_("Job fair (id)"), field_name="position__fair_id")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApplicationStatus.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=ApplicationChannel.choices)

    class Meta:
        model = JobApplication
        fields = ["position", "fair", "status", "channel"]
