"""One FilterSet per model of the task force, shared by the API and the portal."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import filters as bounded
from organizations.models import Department
from organizations.scoped import ScopedFilterSet

from .choices import OPEN_TASK_STATUSES, MeetingKind, TaskStatus
from .models import Meeting, Task


class TaskFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    unit = django_filters.ModelChoiceFilter(
        label=_("Responsible unit"), queryset=Department.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TaskStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    escalated = django_filters.BooleanFilter(
        label=_("Escalated"), field_name="escalated_at", lookup_expr="isnull", exclude=True
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting"), queryset=Meeting.objects.all(), field_name="decision__meeting"
    )
    due_from = bounded.DateFilter(label=_("Due from"), field_name="due_on", lookup_expr="gte")
    due_to = bounded.DateFilter(label=_("Due to"), field_name="due_on", lookup_expr="lte")

    class Meta:
        model = Task
        fields = ["q", "unit", "status", "overdue", "escalated", "meeting", "due_from", "due_to"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = Q(status__in=OPEN_TASK_STATUSES, due_at__lt=timezone.now())
        return queryset.filter(q) if value else queryset.exclude(q)


class MeetingFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    year = bounded.YearFilter(label=_("Year"), field_name="held_on", lookup_expr="year")
    unit = django_filters.ModelChoiceFilter(
        label=_("Attending unit"),
        queryset=Department.objects.all(),
        field_name="attending_units",
        distinct=True,
    )

    class Meta:
        model = Meeting
        fields = ["kind", "year", "unit"]
