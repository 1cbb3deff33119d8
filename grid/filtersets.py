"""FilterSets of the grid, shared by the API and the portal pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import ClaimStatus, Skill, TaskKind, TaskStatus, VolunteerStatus
from .models import Campaign, Claim, Task, Volunteer


class TaskFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=TaskKind.choices, label=_("kind"))
    region = RegionSubtreeFilter(label=_("region code"))
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.all(), label=_("campaign")
    )
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("title"))

    class Meta:
        model = Task
        fields = ["status", "kind", "region", "campaign", "q"]


class VolunteerFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=VolunteerStatus.choices, label=_("status"))
    skill = django_filters.ChoiceFilter(
        choices=Skill.choices, method="filter_skill", label=_("skill")
    )
    region = RegionSubtreeFilter(region_path="worker__region", label=_("region code"))

    class Meta:
        model = Volunteer
        fields = ["status", "skill", "region"]

    def filter_skill(self, queryset, name, value):
        return queryset.filter(skills__contains=f",{value},") if value else queryset


class ClaimFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices, label=_("status"))
    task = IdFilter(field_name="task_id", label=_("task"))
    volunteer = IdFilter(field_name="volunteer_id", label=_("volunteer"))
    flagged = django_filters.BooleanFilter(method="filter_flagged", label=_("flagged"))

    class Meta:
        model = Claim
        fields = ["status", "task", "volunteer", "flagged"]

    def filter_flagged(self, queryset, name, value):
        from django.db.models import Q

        q = Q(flag_too_far=True) | Q(flag_outside_window=True)
        return queryset.filter(q) if value else queryset.exclude(q)
