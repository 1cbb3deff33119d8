"""Completion (结业), derived from attendance whenever it changes."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..models import (
    Attendance,
    Enrollment,
    Session,
    TrainingClass,
)


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
