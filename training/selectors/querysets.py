"""What each user may see of the catalogue, classes, sessions, enrollments, lessons and outreach."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from members.models import Worker
from organizations import scoping
from organizations.scoping import visible

from ..choices import ACTIVE_CLASS_STATUSES
from ..models import (
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
