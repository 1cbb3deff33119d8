"""Writes for training: validated, scope-checked and audited in one transaction each.

The rules a user relies on live here:

- the catalogue (lecturers, courses, sites, resource packs and items) is changed by city-wide
  staff only;
- a class never takes more enrollments than its capacity, even when two requests race for the
  last seat (``enrollment_create`` locks the class row and counts inside the transaction; the
  unique (class, worker) constraint stops a duplicate);
- a check-in is idempotent per session and worker, and needs the session's code unless the
  organizer's staff record it in the portal; a walk-in is recorded and gets an enrollment;
- completion (结业) is derived from attendance whenever it changes.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, writes
from core.choices import AuditAction
from members.models import PartyMember, Worker
from organizations import scoping

from . import selectors
from .choices import ACTIVE_CLASS_STATUSES, AttendanceChannel, ClassStatus, EnrollmentSource
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

#: One answer for a worker that does not exist and one outside the caller's scope, so that
#: the answer does not disclose who exists.
UNKNOWN_WORKER = gettext_lazy("Unknown worker, or outside your scope.")

#: A check-in is accepted from an hour before a session starts ...
CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=1)
#: ... until two hours after it ends from apps, and for a week in the portal (sign-in sheets).
CHECK_IN_CLOSES_AFTER = dt.timedelta(hours=2)
PORTAL_CLOSES_AFTER = dt.timedelta(days=7)


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def _require_city_wide(actor: Any) -> None:
    if not scoping.is_city_wide(actor):
        raise ValidationError(_("Only city-wide staff may change the training catalogue."))


def _user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def _split(data: dict[str, Any], names: tuple[str, ...]) -> tuple[dict, dict]:
    data = dict(data)
    return data, {k: data.pop(k) for k in names if k in data}


def _set_m2m(instance, related: dict[str, Any]) -> None:
    for name, values in related.items():
        getattr(instance, name).set(values)


# --- the catalogue (city-wide staff) -------------------------------------------------------


def lecturer_create(*, actor: Any, data: dict[str, Any]) -> Lecturer:
    _require_city_wide(actor)
    return writes.create(actor=actor, model=Lecturer, data=data)


def lecturer_update(*, actor: Any, lecturer: Lecturer, data: dict[str, Any]) -> Lecturer:
    _require_city_wide(actor)
    return writes.update(actor=actor, instance=lecturer, data=data)


def lecturer_delete(*, actor: Any, lecturer: Lecturer) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=lecturer)


_COURSE_M2M = ("lecturers", "industries")


def course_create(*, actor: Any, data: dict[str, Any]) -> Course:
    """A course on the menu, with its lecturers and audience industries."""
    _require_city_wide(actor)
    fields, related = _split(data, _COURSE_M2M)
    with transaction.atomic():
        course = writes.create(actor=actor, model=Course, data=fields)
        _set_m2m(course, related)
    return course


def course_update(*, actor: Any, course: Course, data: dict[str, Any]) -> Course:
    _require_city_wide(actor)
    fields, related = _split(data, _COURSE_M2M)
    with transaction.atomic():
        course = writes.update(actor=actor, instance=course, data=fields)
        _set_m2m(course, related)
    return course


def course_delete(*, actor: Any, course: Course) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=course)


def site_create(*, actor: Any, data: dict[str, Any]) -> EducationSite:
    _require_city_wide(actor)
    return writes.create(actor=actor, model=EducationSite, data=data)


def site_update(*, actor: Any, site: EducationSite, data: dict[str, Any]) -> EducationSite:
    _require_city_wide(actor)
    return writes.update(actor=actor, instance=site, data=data)


def site_delete(*, actor: Any, site: EducationSite) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=site)


def pack_create(*, actor: Any, data: dict[str, Any]) -> ResourcePack:
    _require_city_wide(actor)
    return writes.create(actor=actor, model=ResourcePack, data=data)


def pack_update(*, actor: Any, pack: ResourcePack, data: dict[str, Any]) -> ResourcePack:
    _require_city_wide(actor)
    return writes.update(actor=actor, instance=pack, data=data)


def pack_delete(*, actor: Any, pack: ResourcePack) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=pack)


def resource_create(*, actor: Any, data: dict[str, Any]) -> LearningResource:
    _require_city_wide(actor)
    return writes.create(actor=actor, model=LearningResource, data=data)


def resource_update(
    *, actor: Any, resource: LearningResource, data: dict[str, Any]
) -> LearningResource:
    _require_city_wide(actor)
    return writes.update(actor=actor, instance=resource, data=data)


def resource_delete(*, actor: Any, resource: LearningResource) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=resource)


# --- classes and sessions ------------------------------------------------------------------

_CLASS_M2M = ("courses", "industries")


def training_class_create(*, actor: Any, data: dict[str, Any]) -> TrainingClass:
    """A class organized by a party organization in the actor's scope."""
    fields, related = _split(data, _CLASS_M2M)
    with transaction.atomic():
        training_class = writes.create(actor=actor, model=TrainingClass, data=fields, check=_check)
        _set_m2m(training_class, related)
    return training_class


def training_class_update(
    *, actor: Any, training_class: TrainingClass, data: dict[str, Any]
) -> TrainingClass:
    """Change a class. The capacity cannot drop below the enrollments it holds; a new
    required share re-derives every enrollment's completion."""
    fields, related = _split(data, _CLASS_M2M)
    with transaction.atomic():
        # Lock the row: a concurrent enrollment must see the new capacity or finish first.
        TrainingClass.objects.select_for_update().filter(pk=training_class.pk).first()
        before = (training_class.required_numerator, training_class.required_denominator)
        if "capacity" in fields and fields["capacity"] is not None:
            taken = training_class.enrollments.count()
            if fields["capacity"] < taken:
                raise ValidationError(
                    {
                        "capacity": _(
                            "%(taken)d workers are enrolled already; the capacity cannot be lower."
                        )
                        % {"taken": taken}
                    }
                )
        training_class = writes.update(
            actor=actor, instance=training_class, data=fields, check=_check
        )
        _set_m2m(training_class, related)
        after = (training_class.required_numerator, training_class.required_denominator)
        if after != before:
            class_refresh_completion(training_class=training_class)
    return training_class


def training_class_delete(*, actor: Any, training_class: TrainingClass) -> None:
    if training_class.sessions.filter(attendances__isnull=False).exists():
        raise ValidationError(
            _("This class has recorded attendance; cancel it instead of deleting it.")
        )
    writes.delete(actor=actor, instance=training_class, check=_check)


def _session_hours(data: dict[str, Any]) -> dict[str, Any]:
    """Hours default to the course's, else to the session's length in half hours."""
    if data.get("hours") is not None:
        return data
    course = data.get("course")
    if course is not None:
        return {**data, "hours": course.hours}
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends > starts:
        halves = round((ends - starts).total_seconds() / 1800)
        from decimal import Decimal

        return {**data, "hours": Decimal(halves) / 2}
    return data


def session_create(*, actor: Any, data: dict[str, Any]) -> Session:
    """A session of a class; the class's completions are re-derived (one more session)."""
    with transaction.atomic():
        session = writes.create(actor=actor, model=Session, data=_session_hours(data), check=_check)
        class_refresh_completion(training_class=session.training_class)
    return session


def session_update(*, actor: Any, session: Session, data: dict[str, Any]) -> Session:
    if "training_class" in data and data["training_class"].pk != session.training_class_id:
        raise ValidationError(
            {"training_class": _("A session cannot move to another class; create a new one.")}
        )
    return writes.update(actor=actor, instance=session, data=data, check=_check)


def session_delete(*, actor: Any, session: Session) -> None:
    training_class = session.training_class
    with transaction.atomic():
        writes.delete(actor=actor, instance=session, check=_check)
        class_refresh_completion(training_class=training_class)


def session_new_code(*, actor: Any, session: Session) -> Session:
    """Issue a new check-in code (the old QR code stops working)."""
    from .models.classes import new_check_in_code

    return writes.update(
        actor=actor,
        instance=session,
        data={"check_in_code": new_check_in_code()},
        check=_check,
        verb="new_code",
    )


# --- enrollment ----------------------------------------------------------------------------


def _sees(actor: Any, model, pk) -> bool:
    return scoping.visible(model, actor).filter(pk=pk).exists()


def enrollment_create(*, actor: Any, data: dict[str, Any]) -> Enrollment:
    """Enroll a worker in a class that takes enrollments.

    Capacity holds under concurrency: the class row is locked (``SELECT ... FOR UPDATE``)
    and the seats are counted inside the same transaction, so of two requests for the last
    seat one waits for the other and then finds the class full. Everybody (the organizer's
    staff, a partner app) enrolls only workers they can see; a partner app in any class open
    for enrollment.
    """
    training_class: TrainingClass | None = data.get("training_class")
    worker: Worker | None = data.get("worker")
    errors: dict[str, str] = {}
    if training_class is None:
        errors["training_class"] = _("Choose a class.")
    if worker is None:
        errors["worker"] = _("Choose a worker.")
    if errors:
        raise ValidationError(errors)
    if not _sees(actor, Worker, worker.pk):
        raise ValidationError({"worker": str(UNKNOWN_WORKER)})
    with transaction.atomic():
        locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        if locked.status not in ACTIVE_CLASS_STATUSES:
            raise ValidationError(
                {"training_class": _("This class does not take enrollments any more.")}
            )
        if Enrollment.objects.filter(training_class=locked, worker=worker).exists():
            raise ValidationError({"worker": _("This worker is enrolled in this class already.")})
        taken = Enrollment.objects.filter(training_class=locked).count()
        if taken >= locked.capacity:
            raise ValidationError(
                {
                    "training_class": _("This class is full (%(capacity)d places).")
                    % {"capacity": locked.capacity}
                }
            )
        try:
            with transaction.atomic():
                enrollment = writes.create(
                    actor=actor,
                    model=Enrollment,
                    data={
                        "training_class": locked,
                        "worker": worker,
                        "source": data.get("source") or EnrollmentSource.ENROLLED,
                        "submitted_by": _user_or_none(actor),
                    },
                    verb="enroll",
                )
        except IntegrityError:
            raise ValidationError(
                {"worker": _("This worker is enrolled in this class already.")}
            ) from None
    return enrollment


def enrollment_delete(*, actor: Any, enrollment: Enrollment) -> None:
    """Withdraw an enrollment that has no attendance (it frees the seat)."""
    if enrollment.attendances.exists():
        raise ValidationError(_("This worker has attended sessions; the enrollment stays."))
    writes.delete(actor=actor, instance=enrollment, check=_check)


# --- completion ----------------------------------------------------------------------------


def sessions_needed(*, total: int, numerator: int, denominator: int) -> int:
    """Sessions a worker must attend to complete: ⌈total × numerator / denominator⌉, in
    integers (no float rounding: 4/5 of 10 is exactly 8)."""
    if total <= 0:
        return 0
    return (total * numerator + denominator - 1) // denominator


def _completion(attended_days: list[dt.date], needed: int) -> tuple[int, bool, dt.date | None]:
    count = len(attended_days)
    if needed and count >= needed:
        return count, True, attended_days[needed - 1]
    return count, False, None


def class_refresh_completion(*, training_class: TrainingClass) -> int:
    """Re-derive attendance counts and completion for every enrollment of a class; return how
    many enrollments changed. Two reads and one bulk update, whatever the class size."""
    total = Session.objects.filter(training_class=training_class).count()
    needed = sessions_needed(
        total=total,
        numerator=training_class.required_numerator,
        denominator=training_class.required_denominator,
    )
    days: dict[int, list[dt.date]] = {}
    for enrollment_id, starts_at in (
        Attendance.objects.filter(session__training_class=training_class)
        .order_by("session__starts_at", "session_id")
        .values_list("enrollment_id", "session__starts_at")
    ):
        days.setdefault(enrollment_id, []).append(timezone.localtime(starts_at).date())
    changed = []
    for enrollment in Enrollment.objects.filter(training_class=training_class):
        values = _completion(days.get(enrollment.pk, []), needed)
        if values != (enrollment.sessions_attended, enrollment.completed, enrollment.completed_on):
            enrollment.sessions_attended, enrollment.completed, enrollment.completed_on = values
            changed.append(enrollment)
    Enrollment.objects.bulk_update(
        changed, ["sessions_attended", "completed", "completed_on"], batch_size=1000
    )
    return len(changed)


def enrollment_refresh_completion(*, enrollment: Enrollment) -> bool:
    """Re-derive one enrollment's attendance count and completion; return ``completed``."""
    training_class = enrollment.training_class
    total = Session.objects.filter(training_class=training_class).count()
    needed = sessions_needed(
        total=total,
        numerator=training_class.required_numerator,
        denominator=training_class.required_denominator,
    )
    starts = (
        Attendance.objects.filter(enrollment=enrollment)
        .order_by("session__starts_at", "session_id")
        .values_list("session__starts_at", flat=True)
    )
    values = _completion([timezone.localtime(s).date() for s in starts], needed)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        sessions_attended=values[0], completed=values[1], completed_on=values[2]
    )
    enrollment.sessions_attended, enrollment.completed, enrollment.completed_on = values
    return enrollment.completed


# --- check-in ------------------------------------------------------------------------------


def _code_matches(session: Session, code: str | None) -> bool:
    given = (code or "").strip().upper()
    return bool(given) and secrets.compare_digest(given, session.check_in_code)


def attendance_check_in(
    *,
    actor: Any,
    session: Session,
    worker: Worker,
    code: str | None,
    channel: str,
    at: dt.datetime | None = None,
) -> tuple[Attendance, bool]:
    """Record a worker's presence at a session; ``(attendance, created)``.

    Idempotent: the same worker at the same session again returns the existing row with
    ``created`` False. The session's check-in code is required, except when the organizer's
    own staff record it in the portal. A worker who is not enrolled is recorded as a walk-in
    and gets an enrollment (walk-ins are not refused for capacity: they are in the room).
    The enrollment's completion is re-derived.
    """
    now = timezone.now()
    at = at or now
    training_class = session.training_class
    organizer_staff = _sees(actor, TrainingClass, training_class.pk)
    if channel == AttendanceChannel.PORTAL and not organizer_staff:
        raise ValidationError({"channel": _("Only the organizer's staff record in the portal.")})
    if not (channel == AttendanceChannel.PORTAL and organizer_staff) and not _code_matches(
        session, code
    ):
        raise ValidationError({"code": _("This is not the session's check-in code.")})
    if not selectors.check_in_workers(actor, training_class).filter(pk=worker.pk).exists():
        raise ValidationError({"worker": str(UNKNOWN_WORKER)})
    existing = Attendance.objects.filter(session=session, worker=worker).first()
    if existing is not None:
        return existing, False
    if training_class.status == ClassStatus.CANCELLED:
        raise ValidationError({"session": _("This class was cancelled.")})
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("A check-in cannot be in the future.")})
    closes = PORTAL_CLOSES_AFTER if channel == AttendanceChannel.PORTAL else CHECK_IN_CLOSES_AFTER
    if at < session.starts_at - CHECK_IN_OPENS_BEFORE or at > session.ends_at + closes:
        raise ValidationError({"at": _("Check-in for this session is not open at this time.")})
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.filter(
                training_class=training_class, worker=worker
            ).first()
            if enrollment is None:
                enrollment = writes.create(
                    actor=actor,
                    model=Enrollment,
                    data={
                        "training_class": training_class,
                        "worker": worker,
                        "source": EnrollmentSource.WALK_IN,
                        "enrolled_at": at,
                        "submitted_by": _user_or_none(actor),
                    },
                    verb="walk_in",
                )
            attendance = writes.create(
                actor=actor,
                model=Attendance,
                data={
                    "session": session,
                    "worker": worker,
                    "enrollment": enrollment,
                    "checked_in_at": at,
                    "channel": channel,
                    "submitted_by": _user_or_none(actor),
                },
                verb="check_in",
            )
            enrollment_refresh_completion(enrollment=enrollment)
    except (IntegrityError, ValidationError) as exc:
        # A concurrent twin won the race on the unique (session, worker).
        twin = Attendance.objects.filter(session=session, worker=worker).first()
        if twin is None:
            raise exc from None
        return twin, False
    return attendance, True


def attendance_delete(*, actor: Any, attendance: Attendance) -> None:
    """Strike a wrongly recorded attendance (organizer staff); completion is re-derived."""
    enrollment = attendance.enrollment
    with transaction.atomic():
        writes.delete(actor=actor, instance=attendance, check=_check)
        enrollment_refresh_completion(enrollment=enrollment)


# --- party lessons, outreach events, designations -----------------------------------------


def _check_attendees(actor: Any, attendees, audience_count) -> None:
    attendees = list(attendees)
    visible = set(
        scoping.visible(PartyMember, actor)
        .filter(pk__in=[m.pk for m in attendees])
        .values_list("pk", flat=True)
    )
    if any(m.pk not in visible for m in attendees):
        raise ValidationError({"attendees": _("A member outside your scope cannot be recorded.")})
    if audience_count is not None and len(attendees) > audience_count:
        raise ValidationError(
            {"audience_count": _("The audience cannot be smaller than the members recorded.")}
        )


def party_lesson_create(*, actor: Any, data: dict[str, Any]) -> PartyLesson:
    fields, related = _split(data, ("attendees",))
    _check_attendees(actor, related.get("attendees", ()), fields.get("audience_count"))
    with transaction.atomic():
        lesson = writes.create(actor=actor, model=PartyLesson, data=fields, check=_check)
        _set_m2m(lesson, related)
    return lesson


def party_lesson_update(
    *, actor: Any, party_lesson: PartyLesson, data: dict[str, Any]
) -> PartyLesson:
    fields, related = _split(data, ("attendees",))
    attendees = related.get("attendees", party_lesson.attendees.all())
    _check_attendees(actor, attendees, fields.get("audience_count", party_lesson.audience_count))
    with transaction.atomic():
        lesson = writes.update(actor=actor, instance=party_lesson, data=fields, check=_check)
        if "attendees" in related:
            before = sorted(lesson.attendees.values_list("pk", flat=True))
            _set_m2m(lesson, related)
            after = sorted(m.pk for m in related["attendees"])
            if before != after:
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=lesson,
                    changes={"attendees": [before, after]},
                    verb="set_attendees",
                )
    return lesson


def party_lesson_delete(*, actor: Any, party_lesson: PartyLesson) -> None:
    writes.delete(actor=actor, instance=party_lesson, check=_check)


def outreach_event_create(*, actor: Any, data: dict[str, Any]) -> OutreachEvent:
    return writes.create(actor=actor, model=OutreachEvent, data=data, check=_check)


def outreach_event_update(
    *, actor: Any, outreach_event: OutreachEvent, data: dict[str, Any]
) -> OutreachEvent:
    return writes.update(actor=actor, instance=outreach_event, data=data, check=_check)


def outreach_event_delete(*, actor: Any, outreach_event: OutreachEvent) -> None:
    writes.delete(actor=actor, instance=outreach_event, check=_check)


def designation_create(*, actor: Any, data: dict[str, Any]) -> PioneerDesignation:
    """A pioneer post, red-flag vehicle (plate) or red live room (platform account)."""
    return writes.create(actor=actor, model=PioneerDesignation, data=data, check=_check)


def designation_update(
    *, actor: Any, designation: PioneerDesignation, data: dict[str, Any]
) -> PioneerDesignation:
    return writes.update(actor=actor, instance=designation, data=data, check=_check)


def designation_delete(*, actor: Any, designation: PioneerDesignation) -> None:
    writes.delete(actor=actor, instance=designation, check=_check)


# --- online learning -----------------------------------------------------------------------


def _progress_for(actor: Any, resource: LearningResource, worker: Worker) -> ResourceProgress:
    if not _sees(actor, Worker, worker.pk):
        raise ValidationError({"worker": str(UNKNOWN_WORKER)})
    progress, _created = ResourceProgress.objects.select_for_update().get_or_create(
        worker=worker, resource=resource, defaults={"submitted_by": _user_or_none(actor)}
    )
    return progress


def resource_view(
    *, actor: Any, resource: LearningResource, worker: Worker, at: dt.datetime | None = None
) -> ResourceProgress:
    """Count one view of a resource by a worker (every view counts)."""
    at = at or timezone.now()
    with transaction.atomic():
        progress = _progress_for(actor, resource, worker)
        ResourceProgress.objects.filter(pk=progress.pk).update(
            views=F("views") + 1, last_viewed_at=at
        )
        ResourceProgress.objects.filter(pk=progress.pk, first_viewed_at__isnull=True).update(
            first_viewed_at=at
        )
        progress.refresh_from_db()
    return progress


def resource_complete(
    *, actor: Any, resource: LearningResource, worker: Worker, at: dt.datetime | None = None
) -> tuple[ResourceProgress, bool]:
    """Mark a resource completed by a worker; ``(progress, created)``. Idempotent per worker
    and item: completing again keeps the first completion time and returns ``created`` False."""
    at = at or timezone.now()
    with transaction.atomic():
        progress = _progress_for(actor, resource, worker)
        if progress.completed_at is not None:
            return progress, False
        progress = writes.update(
            actor=actor,
            instance=progress,
            data={
                "completed_at": at,
                "first_viewed_at": progress.first_viewed_at or at,
                "last_viewed_at": progress.last_viewed_at or at,
            },
            verb="complete",
        )
    return progress, True
