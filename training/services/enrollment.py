"""Enrollment: a class never takes more enrollments than its capacity, even when two requests
race for the last seat."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import writes
from members.models import Worker
from organizations import scoping

from ..choices import ACTIVE_CLASS_STATUSES, EnrollmentSource
from ..models import (
    Enrollment,
    TrainingClass,
)
from .common import UNKNOWN_WORKER, _check, _user_or_none


def _sees(actor: Any, model, pk) -> bool:
    return scoping.visible(model, actor).filter(pk=pk).exists()


def enrollment_create(*, actor: Any, data: dict[str, Any]) -> Enrollment:
    """Enroll a worker in a class that takes enrollments.

    Capacity holds under concurrency: the class row is locked (``SELECT ... FOR UPDATE``)
    and the seats are counted inside the same transaction, so of two requests for the last
    seat one waits for the other and then finds the class full. The organizer's staff may
    enroll any worker; anyone else (a partner app) enrolls workers they can see in any class
    open for enrollment.
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
    organizer_staff = _sees(actor, TrainingClass, training_class.pk)
    if not organizer_staff and not _sees(actor, Worker, worker.pk):
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
