"""The rules of the steps that need more than a date (named by ``StepSpec.check``).

Each rule takes the acting user, the candidate, the step's date and the details given, and
returns the details to store (JSON-ready: ids with names, so the record reads on its own), or
raises a field-level ``ValidationError``. References (members, classes) are resolved through
the actor's scope: an unknown id and one outside the scope get the same answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from core.dates import add_months
from members.choices import MemberStatus
from members.selectors import members_for
from training.selectors import attendances_for, classes_for

from . import steps
from .choices import RecommendationMethod
from .models import Candidate

TENTH = Decimal("0.1")
Rule = Callable[[Any, Candidate, dt.date, dict[str, Any]], dict[str, Any]]


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _int(details: dict[str, Any], name: str, errors: dict[str, str]) -> int | None:
    value = details.get(name)
    if value in (None, ""):
        errors[name] = _("This field is required.")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = _("Enter a whole number.")
        return None
    if number < 0:
        errors[name] = _("Enter a number of at least 0.")
        return None
    return number


def _ids(value: Any) -> list[int] | None:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        value = [value]
    try:
        return [int(v) for v in value]
    except (TypeError, ValueError):
        return None


def check_age(actor, candidate: Candidate, on: dt.date, details: dict) -> dict:
    if candidate.birth_date is None:
        raise ValidationError(
            {"id_number": _("The birth date is unknown: give a valid resident ID number.")}
        )
    if age_on(candidate.birth_date, on) < steps.MIN_AGE:
        raise ValidationError(
            {
                "id_number": _("An applicant must be at least %(age)d years old on %(day)s.")
                % {"age": steps.MIN_AGE, "day": on.isoformat()}
            }
        )
    return {}


def check_talk(actor, candidate: Candidate, on: dt.date, details: dict) -> dict:
    """The talk is due within a month of the application: a late talk is recorded and
    flagged (``late``), not refused."""
    due = add_months(candidate.applied_on, steps.TALK_WITHIN_MONTHS)
    return {"late": True} if on > due else {}


def check_recommendation(actor, candidate: Candidate, on: dt.date, details: dict) -> dict:
    method = details.get("method") or RecommendationMethod.MEMBERS
    if method not in RecommendationMethod.values:
        raise ValidationError({"method": _("Choose how the activist was recommended.")})
    return {"method": method}


def _full_members(actor, candidate, details: dict, field: str, low: int, high: int) -> dict:
    ids = _ids(details.get(field))
    if ids is None:
        raise ValidationError({field: _("Give party members by their ids.")})
    if len(set(ids)) != len(ids):
        raise ValidationError({field: _("The same member is named twice.")})
    if not low <= len(ids) <= high:
        message = (
            _("Name exactly %(n)d full members.") % {"n": low}
            if low == high
            else _("Name %(low)d to %(high)d full members.") % {"low": low, "high": high}
        )
        raise ValidationError({field: message})
    found = {m.pk: m for m in members_for(actor).filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {field: _("No such party member: %(ids)s.") % {"ids": ", ".join(missing)}}
        )
    not_full = [found[i].name for i in ids if found[i].status != MemberStatus.FULL]
    if not_full:
        raise ValidationError(
            {
                field: _("Only full members may be named; not full: %(names)s.")
                % {"names": "、".join(not_full)}
            }
        )
    if candidate.member_id and candidate.member_id in found:
        raise ValidationError({field: _("A candidate cannot be named for themselves.")})
    return {field: [{"id": i, "name": found[i].name, "member_id": found[i].member_id} for i in ids]}


def check_contacts(actor, candidate: Candidate, on: dt.date, details: dict) -> dict:
    return _full_members(
        actor, candidate, details, "contacts", steps.CONTACTS_MIN, steps.CONTACTS_MAX
    )


def check_introducers(actor, candidate: Candidate, on: dt.date, details: dict) -> dict:
    return _full_members(
        actor, candidate, details, "introducers", steps.INTRODUCERS, steps.INTRODUCERS
    )


def check_training(actor, candidate: Candidate, on: dt.date, details: dict) -> dict:
    """At least 3 days or 24 class hours: proven from a training class's attendance of the
    candidate's worker (``training_class``), else a recorded figure (``hours`` / ``days``)."""
    class_id = details.get("training_class")
    if class_id not in (None, ""):
        try:
            training_class = classes_for(actor).filter(pk=int(class_id)).first()
        except (TypeError, ValueError):
            training_class = None
        if training_class is None:
            raise ValidationError({"training_class": _("No such training class.")})
        if not candidate.worker_id:
            raise ValidationError(
                {
                    "training_class": _(
                        "Attendance is recorded for workers: this candidate is not linked to "
                        "a worker; give the hours instead."
                    )
                }
            )
        attended = attendances_for(actor).filter(
            worker_id=candidate.worker_id, session__training_class=training_class
        )
        hours = Decimal(attended.aggregate(h=Sum("session__hours"))["h"] or 0).quantize(TENTH)
        days = attended.annotate(day=TruncDate("session__starts_at")).values("day").distinct()
        days = days.order_by().count()
        out = {
            "training_class": training_class.pk,
            "class_name": training_class.name,
            "hours": str(hours),
            "days": days,
            "proven": True,
        }
        field = "training_class"
    else:
        errors: dict[str, str] = {}
        try:
            hours = Decimal(str(details.get("hours") or "0")).quantize(TENTH)
        except InvalidOperation:
            errors["hours"] = _("Enter a number.")
            hours = Decimal("0")
        if hours < 0 or hours > 1000:
            errors["hours"] = _("Enter a number between 0 and 1000.")
        days = 0
        if details.get("days") not in (None, ""):
            days = _int(details, "days", errors) or 0
        if errors:
            raise ValidationError(errors)
        out = {"hours": str(hours), "days": days, "proven": False}
        field = "hours"
    if days < steps.TRAINING_MIN_DAYS and hours < steps.TRAINING_MIN_HOURS:
        raise ValidationError(
            {
                field: _(
                    "Concentrated training needs at least %(days)d days or %(hours)d class "
                    "hours; found %(got_days)d days and %(got_hours)s hours."
                )
                % {
                    "days": steps.TRAINING_MIN_DAYS,
                    "hours": steps.TRAINING_MIN_HOURS,
                    "got_days": days,
                    "got_hours": hours,
                }
            }
        )
    return out


def check_vote(actor, candidate: Candidate, on: dt.date, details: dict) -> dict:
    """A branch general meeting's vote: more than half of the full members with a vote
    present, and more in favour than half of them (细则 第二十五条)."""
    errors: dict[str, str] = {}
    if details.get("voting_members") in (None, ""):
        roster = members_for(actor).filter(
            organization=candidate.organization, status=MemberStatus.FULL
        )
        voting = roster.count()
    else:
        voting = _int(details, "voting_members", errors)
    present = _int(details, "present", errors)
    in_favour = _int(details, "in_favour", errors)
    if errors:
        raise ValidationError(errors)
    if voting < 1:
        raise ValidationError({"voting_members": _("The branch has no full member with a vote.")})
    if present > voting:
        errors["present"] = _("More present than members with a vote.")
    elif in_favour > present:
        errors["in_favour"] = _("More in favour than present.")
    elif present * 2 <= voting:
        errors["present"] = _(
            "No quorum: more than half of the %(n)d full members with a vote must be present."
        ) % {"n": voting}
    elif in_favour * 2 <= voting:
        errors["in_favour"] = _(
            "Not carried: more than half of the %(n)d full members with a vote must be in favour."
        ) % {"n": voting}
    if errors:
        raise ValidationError(errors)
    return {"voting_members": voting, "present": present, "in_favour": in_favour}


RULES: dict[str, Rule] = {
    "age": check_age,
    "talk": check_talk,
    "recommendation": check_recommendation,
    "contacts": check_contacts,
    "introducers": check_introducers,
    "training": check_training,
    "vote": check_vote,
}
