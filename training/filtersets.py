"""One FilterSet per model, shared by the API and the portal."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core import filters as bounded
from members.models import Worker
from organizations.models import Department, Industry, PartyOrganization
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import (
    ClassStatus,
    CourseFormat,
    CourseTopic,
    DesignationKind,
    DesignationStatus,
    EnrollmentSource,
    LecturerKind,
    OutreachKind,
    ResourceKind,
    SiteKind,
)
from .models import (
    Attendance,
    Course,
    EducationSite,
    Enrollment,
    LearningResource,
    Lecturer,
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
    ResourcePack,
    ResourceProgress,
    Session,
    TrainingClass,
)


def _text(fields: tuple[str, ...]):
    def method(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        q = Q()
        for f in fields:
            q |= Q(**{f"{f}__icontains": value})
        return queryset.filter(q)

    return method


class IndustryCodeFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Industry.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("label", _("Industry"))
        super().__init__(*args, **kwargs)


class LecturerFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=LecturerKind.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), to_field_name="code"
    )
    filter_q = _text(("name", "title"))

    class Meta:
        model = Lecturer
        fields = ["q", "kind", "department", "active"]


class CourseFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title"), method="filter_q")
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=CourseTopic.choices)
    format = django_filters.ChoiceFilter(label=_("Format"), choices=CourseFormat.choices)
    industry = IndustryCodeFilter(method="filter_industry")
    filter_q = _text(("title", "description"))

    class Meta:
        model = Course
        fields = ["q", "topic", "format", "industry", "active"]

    @extend_schema_field(OpenApiTypes.STR)  # an industry code
    def filter_industry(self, queryset, name, value):
        if not value:
            return queryset
        through = Course.industries.through.objects.filter(industry=value)
        return queryset.filter(pk__in=through.values("course_id"))


class EducationSiteFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or address"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SiteKind.choices)
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    filter_q = _text(("name", "address"))

    class Meta:
        model = EducationSite
        fields = ["q", "kind", "region", "active"]


class ResourcePackFilterSet(ScopedFilterSet):
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=CourseTopic.choices)

    class Meta:
        model = ResourcePack
        fields = ["topic", "active"]


class LearningResourceFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ResourceKind.choices)
    pack = django_filters.ModelChoiceFilter(label=_("Pack"), queryset=ResourcePack.objects.all())
    filter_q = _text(("title",))

    class Meta:
        model = LearningResource
        fields = ["q", "kind", "pack"]


class TrainingClassFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or place"), method="filter_q")
    organizer = django_filters.ModelChoiceFilter(
        label=_("Organizer"), queryset=PartyOrganization.objects.all()
    )
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ClassStatus.choices)
    year = bounded.YearFilter(label=_("Year"), field_name="starts_on", lookup_expr="year")
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=Course.objects.all(), method="filter_course"
    )
    filter_q = _text(("name", "place"))

    class Meta:
        model = TrainingClass
        fields = ["q", "organizer", "region", "status", "year", "course"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_course(self, queryset, name, value):
        if not value:
            return queryset
        through = TrainingClass.courses.through.objects.filter(course=value)
        return queryset.filter(pk__in=through.values("trainingclass_id"))


class SessionFilterSet(ScopedFilterSet):
    training_class = django_filters.ModelChoiceFilter(
        label=_("Training class"), queryset=TrainingClass.objects.all()
    )
    starts_after = bounded.DateFilter(
        label=_("Starts on or after"), field_name="starts_at", lookup_expr="date__gte"
    )
    starts_before = bounded.DateFilter(
        label=_("Starts on or before"), field_name="starts_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Session
        fields = ["training_class", "course", "lecturer", "starts_after", "starts_before"]


class EnrollmentFilterSet(ScopedFilterSet):
    training_class = django_filters.ModelChoiceFilter(
        label=_("Training class"), queryset=TrainingClass.objects.all()
    )
    worker = django_filters.ModelChoiceFilter(label=_("Worker"), queryset=Worker.objects.all())
    source = django_filters.ChoiceFilter(label=_("How enrolled"), choices=EnrollmentSource.choices)

    class Meta:
        model = Enrollment
        fields = ["training_class", "worker", "source", "completed"]


class AttendanceFilterSet(ScopedFilterSet):
    session = django_filters.ModelChoiceFilter(label=_("Session"), queryset=Session.objects.all())
    training_class = django_filters.ModelChoiceFilter(
        label=_("Training class"),
        queryset=TrainingClass.objects.all(),
        field_name="session__training_class",
    )
    worker = django_filters.ModelChoiceFilter(label=_("Worker"), queryset=Worker.objects.all())

    class Meta:
        model = Attendance
        fields = ["session", "training_class", "worker", "channel"]


class PartyLessonFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title or speaker"), method="filter_q")
    organization = django_filters.ModelChoiceFilter(
        label=_("Party organization"), queryset=PartyOrganization.objects.all()
    )
    region = RegionSubtreeFilter(
        label=_("Region (code, includes its subtree)"), region_path="organization__region"
    )
    year = bounded.YearFilter(label=_("Year"), field_name="given_on", lookup_expr="year")
    filter_q = _text(("title", "speaker_name"))

    class Meta:
        model = PartyLesson
        fields = ["q", "organization", "region", "year"]


class OutreachEventFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title or speaker"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OutreachKind.choices)
    industry = IndustryCodeFilter()
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    year = bounded.YearFilter(label=_("Year"), field_name="held_on", lookup_expr="year")
    filter_q = _text(("title", "speaker_name"))

    class Meta:
        model = OutreachEvent
        fields = ["q", "kind", "industry", "region", "year"]


class PioneerDesignationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title, plate or account"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DesignationKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DesignationStatus.choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("Awarded by"), queryset=PartyOrganization.objects.all()
    )
    filter_q = _text(("title", "plate", "account"))

    class Meta:
        model = PioneerDesignation
        fields = ["q", "kind", "status", "organization"]


class ResourceProgressFilterSet(ScopedFilterSet):
    worker = django_filters.ModelChoiceFilter(label=_("Worker"), queryset=Worker.objects.all())
    completed = django_filters.BooleanFilter(
        label=_("Completed"), field_name="completed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = ResourceProgress
        fields = ["worker", "resource", "completed"]
