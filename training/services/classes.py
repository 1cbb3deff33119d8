"""Training classes and their sessions (with the session's check-in code)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import writes

from ..models import (
    Session,
    TrainingClass,
)
from .common import _check, _split
from .completion import class_refresh_completion

_CLASS_M2M = ("courses", "industries")


def training_class_create(*, actor: Any, data: dict[str, Any]) -> TrainingClass:
    """A class organized by a party organization in the actor's scope."""
    fields, related = _split(data, _CLASS_M2M)
    with transaction.atomic():
        training_class = writes.create(
            actor=actor, model=TrainingClass, data=fields, check=_check, related=related
        )
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
            actor=actor, instance=training_class, data=fields, check=_check, related=related
        )
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
    from ..models.classes import new_check_in_code

    return writes.update(
        actor=actor,
        instance=session,
        data={"check_in_code": new_check_in_code()},
        check=_check,
        verb="new_code",
    )
