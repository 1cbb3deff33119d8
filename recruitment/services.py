"""Writes of the membership pipeline: candidates and their steps (DESIGN.md §3, §6).

- :func:`candidate_create` is the application (step 1): the candidate and the step in one
  transaction, refused for an applicant under 18.
- :func:`step_record` records every later step; it refuses, with a field-level error and
  nothing written, a step out of order, a minimum interval not met, and what the rules of
  :mod:`recruitment.rules` forbid. The admission approval creates the probationary
  ``PartyMember`` and the full-membership approval confirms it, through members' services.
- Steps are immutable: there is no service to change or delete one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pii, writes
from core.dates import add_months
from members.choices import MemberStatus
from members.models import PartyMember
from members.services.people import member_create, member_make_full
from organizations import scoping

from . import rules, steps
from .choices import Stage, StepCode
from .models import Candidate, Step

#: Fields of a candidate that may be corrected after the application.
EDITABLE_FIELDS = frozenset({"name", "phone", "industry", "region"})
#: Fields the application takes.
APPLICATION_FIELDS = frozenset(
    {"worker", "name", "id_number", "phone", "organization", "industry", "region", "applied_on"}
)


def _check(actor: Any, instance: models.Model, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def _not_future(on: dt.date | None, field: str = "on") -> dt.date:
    if on is None:
        raise ValidationError({field: _("Give the date.")})
    if on > timezone.localdate():
        raise ValidationError({field: _("This date lies in the future.")})
    return on


# --- candidates ------------------------------------------------------------------------------


def candidate_create(*, actor: Any, data: dict[str, Any]) -> Candidate:
    """The application (递交入党申请书): a candidate from the roster (``worker``) or by name and
    ID number, developed by ``organization``; writes step 1 dated ``applied_on``."""
    extra = set(data) - APPLICATION_FIELDS
    if extra:
        raise ValidationError({name: _("Not taken by an application.") for name in extra})
    data = dict(data)
    worker = data.get("worker")
    applied_on = _not_future(data.get("applied_on"), "applied_on")
    if worker is not None:
        if not scoping.visible(type(worker), actor).filter(pk=worker.pk).exists():
            raise ValidationError({"worker": _("No such worker.")})
        if Candidate.objects.filter(worker=worker).exists():
            raise ValidationError({"worker": _("This worker is already in the pipeline.")})
        data["name"] = data.get("name") or worker.name
        if data.get("industry") is None:
            data["industry"] = worker.industry
        if data.get("region") is None:
            data["region"] = worker.region
        if not data.get("phone"):
            data["phone"] = worker.phone
    elif not data.get("id_number"):
        raise ValidationError(
            {"id_number": _("Give the resident ID number, or choose the worker from the roster.")}
        )
    id_number = data.get("id_number") or (worker.id_number if worker is not None else "")
    if id_number and _on_member_roster(id_number):
        raise ValidationError(
            {"id_number": _("This person is already on the party member roster.")}
        )
    organization = data.get("organization")
    if organization is not None:
        if data.get("industry") is None:
            data["industry"] = organization.industry
        if data.get("region") is None:
            data["region"] = organization.region
    data.update(stage=Stage.APPLICANT, last_step=1, last_step_on=applied_on)
    with transaction.atomic():
        candidate = writes.create(actor=actor, model=Candidate, data=data, check=_check)
        _write_step(
            actor=actor,
            candidate=candidate,
            spec=steps.spec(StepCode.APPLICATION),
            on=applied_on,
            details=rules.check_age(actor, candidate, applied_on, {}),
            note="",
            move=False,
        )
    return candidate


def _on_member_roster(id_number: str) -> bool:
    try:
        lookup = pii.protected_lookup(PartyMember, "id_number", id_number)
    except ValidationError:
        return False  # an invalid number: the model's validation reports it
    return PartyMember.objects.filter(lookup).exists()


def candidate_update(*, actor: Any, candidate: Candidate, data: dict[str, Any]) -> Candidate:
    """Correct a candidate's name, phone, industry or region; the rest moves by steps."""
    refused = set(data) - EDITABLE_FIELDS
    if refused:
        raise ValidationError(
            {name: _("This changes only through the pipeline's steps.") for name in refused}
        )
    return writes.update(actor=actor, instance=candidate, data=data, check=_check)


def candidate_delete(*, actor: Any, candidate: Candidate) -> None:
    """Withdraw an application: only while the candidate is an applicant (later, the record
    of the steps is kept)."""
    if candidate.stage != Stage.APPLICANT:
        raise ValidationError(_("Only an applicant's record can be withdrawn."))
    writes.delete(actor=actor, instance=candidate, check=_check)


# --- steps -----------------------------------------------------------------------------------


def _write_step(
    *,
    actor: Any,
    candidate: Candidate,
    spec: steps.StepSpec,
    on: dt.date,
    details,
    note: str,
    move: bool = True,
) -> Step:
    step = writes.create(
        actor=actor,
        model=Step,
        data={
            "candidate": candidate,
            "number": spec.number,
            "code": spec.code,
            "on": on,
            "actor": actor if getattr(actor, "is_authenticated", False) else None,
            "details": details,
            "note": note[:500],
        },
        verb=f"step_{spec.code}",
    )
    writes.update(
        actor=actor,
        instance=candidate,
        data={
            "stage": spec.enters or candidate.stage,
            "last_step": spec.number,
            "last_step_on": on,
        },
        verb=f"step_{spec.code}",
    )
    return step


def _step_date(candidate: Candidate, code: str) -> dt.date | None:
    return (
        Step.objects.filter(candidate=candidate, code=code)
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )


def _order(candidate: Candidate, code: str) -> steps.StepSpec:
    if code not in steps.BY_CODE:
        raise ValidationError({"step": _("Unknown step.")})
    spec = steps.BY_CODE[code]
    allowed = steps.next_steps(candidate.last_step)
    if spec not in allowed:
        names = "、".join(f"{s.number}. {s.label}" for s in allowed) or _("none")
        raise ValidationError(
            {
                "step": _("Step %(n)d (%(name)s) is out of order; the next step is: %(next)s.")
                % {"n": spec.number, "name": spec.label, "next": names}
            }
        )
    return spec


def _interval(candidate: Candidate, spec: steps.StepSpec, on: dt.date) -> None:
    if candidate.last_step_on and on < candidate.last_step_on:
        raise ValidationError(
            {
                "on": _("A step cannot be dated before the previous one (%(day)s).")
                % {"day": candidate.last_step_on.isoformat()}
            }
        )
    if spec.minimum is None:
        return
    since = _step_date(candidate, spec.minimum.since)
    earliest = add_months(since, spec.minimum.months) if since else None
    if earliest and on < earliest:
        raise ValidationError(
            {
                "on": _(
                    "At least %(months)d months must pass after “%(since)s” (%(day)s): not "
                    "before %(earliest)s."
                )
                % {
                    "months": spec.minimum.months,
                    "since": steps.BY_CODE[spec.minimum.since].label,
                    "day": since.isoformat(),
                    "earliest": earliest.isoformat(),
                }
            }
        )


def _admit(actor: Any, candidate: Candidate, on: dt.date, details: dict[str, Any]) -> dict:
    """The admission approval: the probationary member, probation one year from the vote."""
    resolution = _step_date(candidate, StepCode.ADMISSION_VOTE)
    worker = candidate.worker
    member_id = str(details.get("member_id") or f"FZ{candidate.pk:08d}")[:64]
    data = {
        "member_id": member_id,
        "name": candidate.name,
        "id_number": candidate.id_number or (worker.id_number if worker else ""),
        "phone": candidate.phone,
        "organization": candidate.organization,
        "status": MemberStatus.PROBATIONARY,
        "joined_on": resolution,
        "probation_due": add_months(resolution, steps.PROBATION_MONTHS),
        "region": candidate.region,
        "industry": candidate.industry,
    }
    try:
        member = member_create(actor=actor, data=data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise  # field-level already (a duplicate ID number, roster id...)
        raise ValidationError(
            {
                "candidate": _("The party member record could not be created: %(why)s")
                % {"why": " ".join(exc.messages)}
            }
        ) from None
    writes.update(actor=actor, instance=candidate, data={"member": member}, verb="step_admit")
    late = on > add_months(resolution, steps.APPROVAL_WITHIN_MONTHS)
    return {
        "member": member.pk,
        "member_id": member.member_id,
        "joined_on": resolution.isoformat(),
        "probation_due": member.probation_due.isoformat(),
        **({"late": True} if late else {}),
    }


def _confirm(actor: Any, candidate: Candidate, on: dt.date, details: dict[str, Any]) -> dict:
    """The full-membership approval: the member becomes full through members' service."""
    if candidate.member is None:
        raise ValidationError({"candidate": _("This candidate has no party member record.")})
    member = member_make_full(actor=actor, member=candidate.member, today=on)
    return {"member": member.pk, "member_id": member.member_id}


SIDE_EFFECTS = {"admit": _admit, "confirm": _confirm}


def step_record(
    *,
    actor: Any,
    candidate: Candidate,
    step: str,
    on: dt.date | None,
    note: str = "",
    **details: Any,
) -> Step:
    """Record step ``step`` of ``candidate`` dated ``on`` with its ``details`` (introducers,
    contacts, vote counts, training...). Refused with a field-level error, nothing written,
    when the step is out of order, too early, or breaks a rule of the party's."""
    on = _not_future(on)
    with transaction.atomic():
        current = (
            scoping.visible(Candidate, actor)
            .select_for_update(of=("self",))
            .filter(pk=candidate.pk)
            .select_related("worker", "organization", "member")
            .first()
        )
        if current is None:
            raise ValidationError({"candidate": _("No such candidate.")})
        spec = _order(current, step)
        _interval(current, spec, on)
        rule = rules.RULES.get(spec.check)
        stored = rule(actor, current, on, details) if rule else {}
        effect = SIDE_EFFECTS.get(spec.check)
        if effect is not None:
            stored = {**stored, **effect(actor, current, on, details)}
        if not rule and not effect:
            stored = {k: str(v)[:200] for k, v in details.items() if v not in (None, "")}
        return _write_step(
            actor=actor, candidate=current, spec=spec, on=on, details=stored, note=note
        )
