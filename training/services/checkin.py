"""Check-in: idempotent per session and worker, with the session's code unless the organizer's
staff record it in the portal; a walk-in gets an enrollment."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import writes
from members.models import Worker

from ..choices import AttendanceChannel, ClassStatus, EnrollmentSource
from ..models import (
    Attendance,
    Enrollment,
    Session,
    TrainingClass,
)
from .common import (
    CHECK_IN_CLOSES_AFTER,
    CHECK_IN_OPENS_BEFORE,
    PORTAL_CLOSES_AFTER,
    UNKNOWN_WORKER,
    _check,
    _user_or_none,
)
from .completion import enrollment_refresh_completion
from .enrollment import _sees


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
    if not organizer_staff and not _sees(actor, Worker, worker.pk):
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
