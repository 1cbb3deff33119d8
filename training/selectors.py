"""Reads for training. Every function takes the acting user and returns what that user may see
(``organizations.scoping``); the catalogue is the same for every signed-in user.

The statistics are SQL GROUP BY queries (one per measure and dimension), never a loop over
rows, so the page costs the same whatever the year holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members.choices import ACCEPTED_PROPOSAL_STATUSES, CaseStatus
from members.models import Case, MatchProposal, PartyMember, Worker
from organizations import scoping
from organizations.figures import FigureFilter
from organizations.models import Industry, Region
from organizations.scoping import visible

from .choices import ACTIVE_CLASS_STATUSES
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


def _count_of(model, link: str, **filters) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``model`` rows whose ``link`` is the outer row."""
    rows = (
        model.objects.filter(**{link: OuterRef("pk")}, **filters)
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


# --- the catalogue -------------------------------------------------------------------------


def courses_for(user: Any) -> QuerySet[Course]:
    return visible(Course, user).prefetch_related("lecturers", "industries")


def lecturers_for(user: Any) -> QuerySet[Lecturer]:
    return visible(Lecturer, user).select_related("department")


def sites_for(user: Any) -> QuerySet[EducationSite]:
    return visible(EducationSite, user).select_related("region")


def packs_for(user: Any) -> QuerySet[ResourcePack]:
    return visible(ResourcePack, user).prefetch_related("items")


def resources_for(user: Any) -> QuerySet[LearningResource]:
    return visible(LearningResource, user).select_related("pack")


# --- classes -------------------------------------------------------------------------------


def classes_for(user: Any) -> QuerySet[TrainingClass]:
    """Classes in scope with their seats taken, sessions, person-times and completions."""
    return (
        visible(TrainingClass, user)
        .select_related("organizer", "region")
        .annotate(
            enrolled=_count_of(Enrollment, "training_class"),
            completed_count=_count_of(Enrollment, "training_class", completed=True),
            session_count=_count_of(Session, "training_class"),
            person_times=_count_of(Attendance, "session__training_class"),
        )
    )


def enrollable_classes(user: Any) -> QuerySet[TrainingClass]:
    """Classes the user may enroll workers in: those in scope, and any class open for
    enrollment (a partner app enrolls its riders in the city's open classes)."""
    q = scoping.scope_q(TrainingClass, user)
    base = TrainingClass.objects.all()
    if q is None:
        return base
    return base.filter(Q(status__in=ACTIVE_CLASS_STATUSES) | q)


def check_in_workers(user: Any, training_class: TrainingClass) -> QuerySet[Worker]:
    """The workers ``user`` may check in at a session of ``training_class``: those in their
    scope and, for the organizer's staff, those enrolled in the class already."""
    seen = visible(Worker, user)
    if not visible(TrainingClass, user).filter(pk=training_class.pk).exists():
        return seen
    enrolled = Enrollment.objects.filter(training_class=training_class).values("worker_id")
    return Worker.objects.filter(Q(pk__in=seen.values("pk")) | Q(pk__in=enrolled))


def check_in_worker(
    user: Any, training_class: TrainingClass, *, pk=None, source: str = "", external_id: str = ""
) -> Worker | None:
    """One worker of :func:`check_in_workers` by portal id or by roster source and id in it;
    ``None`` alike for an unknown worker and one the user may not check in."""
    workers = check_in_workers(user, training_class)
    if pk:
        found = list(workers.filter(pk=pk)[:1])
    elif source and external_id:
        found = list(workers.filter(source=source, external_id=external_id)[:2])
    else:
        found = []
    return found[0] if len(found) == 1 else None


def sessions_for(user: Any) -> QuerySet[Session]:
    return (
        visible(Session, user)
        .select_related("training_class", "course", "lecturer")
        .annotate(attended=_count_of(Attendance, "session"))
    )


def enrollments_for(user: Any) -> QuerySet[Enrollment]:
    return visible(Enrollment, user).select_related("training_class", "worker", "worker__industry")


def attendances_for(user: Any) -> QuerySet[Attendance]:
    return visible(Attendance, user).select_related("session", "session__training_class", "worker")


def lessons_for(user: Any) -> QuerySet[PartyLesson]:
    return (
        visible(PartyLesson, user)
        .select_related("organization", "course")
        .annotate(attendee_count=_count_of(PartyLesson.attendees.through, "partylesson"))
    )


def outreach_for(user: Any) -> QuerySet[OutreachEvent]:
    return visible(OutreachEvent, user).select_related(
        "organizer", "industry", "region", "lecturer"
    )


def designations_for(user: Any) -> QuerySet[PioneerDesignation]:
    return visible(PioneerDesignation, user).select_related(
        "holder", "organization", "unit", "platform"
    )


def progress_for(user: Any) -> QuerySet[ResourceProgress]:
    return visible(ResourceProgress, user).select_related("worker", "resource", "resource__pack")


# --- learning records ----------------------------------------------------------------------


@dataclass
class LearningRecord:
    """What a person has learned: classes (with completion), sessions attended and their
    hours, party lessons attended, resources viewed and completed."""

    enrollments: list[Enrollment] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    hours: Decimal = Decimal("0")
    lessons: list[PartyLesson] = field(default_factory=list)
    resources_completed: list[ResourceProgress] = field(default_factory=list)
    resources_viewed: int = 0

    @property
    def classes(self) -> int:
        return len(self.enrollments)

    @property
    def classes_completed(self) -> int:
        return sum(1 for e in self.enrollments if e.completed)

    @property
    def sessions(self) -> int:
        return len(self.attendances)


def _linked_worker_ids(member_ids) -> list[int]:
    """Workers identified as these members by the two finds (an accepted match or a case that
    was not rejected)."""
    by_case = Case.objects.filter(member__in=member_ids, worker__isnull=False).exclude(
        status=CaseStatus.REJECTED
    )
    by_match = MatchProposal.objects.filter(
        member__in=member_ids, status__in=ACCEPTED_PROPOSAL_STATUSES
    )
    return sorted(
        set(by_case.values_list("worker_id", flat=True))
        | set(by_match.values_list("worker_id", flat=True))
    )


def _linked_member_ids(worker_ids) -> list[int]:
    by_case = Case.objects.filter(worker__in=worker_ids, member__isnull=False).exclude(
        status=CaseStatus.REJECTED
    )
    by_match = MatchProposal.objects.filter(
        worker__in=worker_ids, status__in=ACCEPTED_PROPOSAL_STATUSES
    )
    return sorted(
        set(by_case.values_list("member_id", flat=True))
        | set(by_match.values_list("member_id", flat=True))
    )


def _record(worker_ids: list[int], member_ids: list[int]) -> LearningRecord:
    enrollments = list(
        Enrollment.objects.filter(worker__in=worker_ids)
        .select_related("training_class", "training_class__organizer")
        .order_by("-training_class__starts_on", "-id")
    )
    attendances = list(
        Attendance.objects.filter(worker__in=worker_ids)
        .select_related("session", "session__training_class", "session__course")
        .order_by("-session__starts_at", "-id")
    )
    hours = Attendance.objects.filter(worker__in=worker_ids).aggregate(
        h=Coalesce(Sum("session__hours"), Value(Decimal("0")))
    )["h"]
    lessons = list(
        PartyLesson.objects.filter(attendees__in=member_ids)
        .select_related("organization")
        .distinct()
        .order_by("-given_on", "-id")
    )
    progress = ResourceProgress.objects.filter(worker__in=worker_ids)
    completed = list(
        progress.filter(completed_at__isnull=False)
        .select_related("resource", "resource__pack")
        .order_by("-completed_at", "-id")
    )
    return LearningRecord(
        enrollments=enrollments,
        attendances=attendances,
        hours=Decimal(hours).quantize(Decimal("0.1")),
        lessons=lessons,
        resources_completed=completed,
        resources_viewed=progress.count(),
    )


def openable_workers(user: Any, worker_ids: list[int]) -> frozenset[int]:
    """Which of these workers' learning records ``user`` may open (one query)."""
    return scoping.openable_ids(Worker, user, worker_ids)


def worker_record(user: Any, worker_id: int) -> tuple[Worker, LearningRecord]:
    """A worker's learning record; the worker must be visible to ``user`` (else
    ``Worker.DoesNotExist``). The record is the worker's whole record, whoever organized the
    classes: seeing the person means seeing what they learned. Party lessons come from the
    member the two finds identified them as, if any."""
    worker = visible(Worker, user).get(pk=worker_id)
    return worker, _record([worker.pk], _linked_member_ids([worker.pk]))


def member_record(user: Any, member_id: int) -> tuple[PartyMember, LearningRecord]:
    """A party member's learning record: lessons they attended, and the classes, sessions and
    resources of the workers the two finds identified them as."""
    member = visible(PartyMember, user).get(pk=member_id)
    return member, _record(_linked_worker_ids([member.pk]), [member.pk])


# --- statistics ----------------------------------------------------------------------------

#: Length of a district's path ("320400/320402/"): six-digit city and district codes.
DISTRICT_PATH_LENGTH = 14

MEASURES = (
    "classes",
    "sessions",
    "person_times",
    "party_lessons",
    "lesson_audience",
    "outreach_events",
    "outreach_audience",
)


#: Each measure's figure key, shared with the dashboard's card that shows the same number.
FIGURE_KEYS = {
    "classes": "training_classes",
    "sessions": "training_sessions",
    "person_times": "training_person_times",
    "party_lessons": "party_lessons",
    "lesson_audience": "party_lesson_audience",
    "outreach_events": "outreach_events",
    "outreach_audience": "outreach_audience",
}


def measure_labels() -> dict[str, str]:
    return {
        "classes": _("Classes"),
        "sessions": pgettext("training", "Sessions"),
        "person_times": _("Person-times"),
        "party_lessons": _("Party lessons"),
        "lesson_audience": _("Party-lesson audience"),
        "outreach_events": _("Outreach events"),
        "outreach_audience": _("Outreach audience"),
    }


@dataclass(frozen=True)
class _Source:
    queryset: QuerySet
    month: str
    industry: str
    region_path: str
    values: dict[str, Any]


def _sources(user: Any, year: int, where: FigureFilter | None = None) -> list[_Source]:
    """What each measure counts (one definition for the statistics page and the dashboard's
    cards), narrowed to the chosen region and industry: by the region where a class is held,
    a lesson's organization's region, an event's region; by the industry the statistics group
    under (the organizer's, the attendee's, the event's)."""
    sources = _unfiltered_sources(user, year)
    if where is None or where.empty:
        return sources
    return [
        _Source(
            s.queryset.filter(
                where.q(region=s.region_path.removesuffix("__path"), industry=s.industry)
            ),
            s.month,
            s.industry,
            s.region_path,
            s.values,
        )
        for s in sources
    ]


def year_totals(user: Any, *, year: int, where: FigureFilter | None = None) -> dict[str, int]:
    """Every measure's total of ``year`` (one aggregate query per source): the figures the
    statistics page's totals row shows, for the dashboard."""
    totals = dict.fromkeys(MEASURES, 0)
    for source in _sources(user, year, where):
        for name, value in source.queryset.order_by().aggregate(**source.values).items():
            totals[name] += int(value or 0)
    return totals


def _unfiltered_sources(user: Any, year: int) -> list[_Source]:
    return [
        _Source(
            visible(TrainingClass, user).filter(starts_on__year=year),
            "starts_on",
            "organizer__industry",
            "region__path",
            {"classes": Count("pk")},
        ),
        _Source(
            visible(Session, user).filter(starts_at__year=year),
            "starts_at",
            "training_class__organizer__industry",
            "training_class__region__path",
            {"sessions": Count("pk")},
        ),
        _Source(
            visible(Attendance, user).filter(session__starts_at__year=year),
            "session__starts_at",
            "worker__industry",
            "session__training_class__region__path",
            {"person_times": Count("pk")},
        ),
        _Source(
            visible(PartyLesson, user).filter(given_on__year=year),
            "given_on",
            "organization__industry",
            "organization__region__path",
            {"party_lessons": Count("pk"), "lesson_audience": Sum("audience_count")},
        ),
        _Source(
            visible(OutreachEvent, user).filter(held_on__year=year),
            "held_on",
            "industry",
            "region__path",
            {"outreach_events": Count("pk"), "outreach_audience": Sum("audience_count")},
        ),
    ]


@dataclass
class Statistics:
    """The year's figures in the user's scope: totals and rows by month, industry and region.
    Each row is ``{"key", "label", <measure>: int, ...}``."""

    year: int
    totals: dict[str, int]
    by_month: list[dict[str, Any]]
    by_industry: list[dict[str, Any]]
    by_region: list[dict[str, Any]]


def _grouped(source: _Source, key) -> list[tuple[Any, dict[str, int]]]:
    rows = (
        source.queryset.order_by()
        .annotate(_key=key)
        .values("_key")
        .annotate(**source.values)
        .values_list("_key", *source.values)
    )
    return [(row[0], dict(zip(source.values, row[1:], strict=True))) for row in rows]


def _merge(target: dict[Any, dict[str, int]], key, values: dict[str, int]) -> None:
    row = target.setdefault(key, dict.fromkeys(MEASURES, 0))
    for name, value in values.items():
        row[name] += int(value or 0)


def statistics(
    user: Any, *, year: int | None = None, where: FigureFilter | None = None
) -> Statistics:
    """Classes, sessions, person-times, party lessons (and their audience) and outreach events
    (and their audience) of one year in ``user``'s scope, by month, industry and district.

    Classes and sessions count under the organizer's industry, person-times under the
    attendee's; regions are the district where a class is held (a city-level class counts
    under the city), a lesson's organization's district, an event's district.
    """
    year = year or timezone.localdate().year
    by_month: dict[Any, dict[str, int]] = {}
    by_industry: dict[Any, dict[str, int]] = {}
    by_region: dict[Any, dict[str, int]] = {}
    for source in _sources(user, year, where):
        for key, values in _grouped(source, ExtractMonth(source.month)):
            _merge(by_month, key, values)
        for key, values in _grouped(source, F(source.industry)):
            _merge(by_industry, key, values)
        region_key = Substr(source.region_path, 1, DISTRICT_PATH_LENGTH)
        for key, values in _grouped(source, region_key):
            _merge(by_region, key, values)

    totals = dict.fromkeys(MEASURES, 0)
    for row in by_month.values():
        for name in MEASURES:
            totals[name] += row[name]
    months = [
        {"key": m, "label": f"{year}-{m:02d}", **by_month.get(m, dict.fromkeys(MEASURES, 0))}
        for m in range(1, 13)
    ]
    names = dict(Industry.objects.values_list("pk", "name"))
    order = {pk: n for n, pk in enumerate(Industry.objects.values_list("pk", flat=True))}
    industries = [
        {"key": k, "label": names.get(k, _("No industry")), **v}
        for k, v in sorted(by_industry.items(), key=lambda kv: order.get(kv[0], 10**9))
    ]
    regions_by_path = {
        r.path: r for r in Region.objects.filter(path__in=[k for k in by_region if k])
    }
    regions = [
        {
            "key": regions_by_path[k].code if k in regions_by_path else "",
            "label": regions_by_path[k].name if k in regions_by_path else _("No region"),
            **v,
        }
        for k, v in sorted(by_region.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    ]
    return Statistics(year, totals, months, industries, regions)


# --- the dashboard -------------------------------------------------------------------------


def dashboard_figures(user: Any, *, where: FigureFilter | None = None) -> list[dict[str, Any]]:
    """This year's training cards for the dashboard: classes, sessions, person-times, party
    lessons and outreach audiences in ``user``'s scope and the chosen region and industry —
    the statistics page's totals (:func:`year_totals`). Five queries, whatever the data."""
    today = timezone.localdate()
    year = today.year
    where = where or FigureFilter()
    query = f"?year={year}"
    if where.region is not None:
        query += f"&region={where.region.code}"
    if where.industry is not None:
        query += f"&industry={where.industry.code}"
    stats_url = reverse("training:stats") + query
    totals = year_totals(user, year=year, where=where)
    note = _("%(year)d so far") % {"year": year}
    cards = (
        ("training_classes", _("Training classes"), "classes", reverse("training:class_list")),
        ("training_sessions", _("Training sessions"), "sessions", stats_url),
        ("training_person_times", _("Training person-times"), "person_times", stats_url),
        ("party_lessons", _("Party lessons"), "party_lessons", reverse("training:lesson_list")),
        (
            "outreach_audience",
            _("Outreach audiences"),
            "outreach_audience",
            reverse("training:outreach_list"),
        ),
    )
    return [
        {
            "key": key,
            "title": title,
            "value": totals[measure],
            "denominator": None,
            "url": url,
            "note": note,
            "figure": f"{FIGURE_KEYS[measure]}:{year}",
        }
        for key, title, measure, url in cards
    ]


dashboard_figures.follows = ("region", "industry")  # type: ignore[attr-defined]
