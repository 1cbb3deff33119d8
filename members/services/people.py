"""Writes for workers, party members and transfer letters (DESIGN.md §6, people).

Every write is validated (``full_clean``), scope-checked inside its transaction and audited
(:mod:`core.writes`); the admin, the API and the portal call these functions and nothing else.

- A change of a field the matcher reads (``PersonFields.MATCH_FIELDS``) moves
  ``identity_changed_at``, so the two-finds job matches that person again.
- A member's status moves only through :func:`member_suspend` (6+ months out of contact),
  :func:`member_restore` and :func:`member_make_full` (probation over).
- A transfer letter moves DRAFT → ISSUED(valid_until) → RECEIVED / EXPIRED / RETURNED.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, pii, writes
from core.choices import AuditAction
from organizations import scoping

from ..choices import MemberStatus, TransferLetterStatus
from ..models import PartyMember, PersonFields, TransferLetter, Worker
from .two_finds.auto import two_finds_request

#: Months out of contact after which a membership may be suspended (停止党籍).
SUSPEND_AFTER_MONTHS = 6
#: The longest validity a transfer letter may be given (介绍信有效期).
LETTER_MAX_VALIDITY_DAYS = 90

L = TransferLetterStatus


def _check(actor: Any, instance: models.Model, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back by ``months`` calendar months (the end of a shorter month)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- identity changes ------------------------------------------------------------------------


def _match_value(model: type[PersonFields], name: str, value: Any) -> Any:
    """A MATCH_FIELDS value in a comparable form (normalized id/phone, FK ids, stripped name)."""
    if name in ("id_number", "phone"):
        return pii.normalize(value or "", model._meta.get_field(name).kind)
    if name == "name":
        return (value or "").strip()
    if isinstance(value, models.Model):
        return value.pk
    return value


def _with_identity_stamp(instance: PersonFields, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` plus a new ``identity_changed_at`` when it changes a field the matcher reads."""
    for attname in type(instance).MATCH_FIELDS:
        name = attname[:-3] if attname.endswith("_id") else attname
        key = name if name in data else attname if attname in data else None
        if key is None:
            continue
        before = _match_value(type(instance), attname, getattr(instance, attname))
        after = _match_value(type(instance), attname, data[key])
        if before != after:
            return {**data, "identity_changed_at": timezone.now()}
    return data


def _update_person(*, actor: Any, instance: PersonFields, data: dict[str, Any]):
    """Update a worker or member; a change the matcher reads asks for a two-finds run after
    the commit."""
    stamped = _with_identity_stamp(instance, data)
    with transaction.atomic():
        instance = writes.update(actor=actor, instance=instance, data=stamped, check=_check)
        if stamped is not data:
            two_finds_request()
    return instance


# --- workers ---------------------------------------------------------------------------------


def worker_create(*, actor: Any, data: dict[str, Any]) -> Worker:
    """Create a worker; the actor must see it afterwards (a partner: its own platform). The
    new worker is matched by the next two-finds run, asked for after the commit."""
    with transaction.atomic():
        worker = writes.create(actor=actor, model=Worker, data=data, check=_check)
        two_finds_request()
    return worker


def worker_update(*, actor: Any, worker: Worker, data: dict[str, Any]) -> Worker:
    """Change a worker; a changed name, id, phone, region or industry queues re-matching."""
    return _update_person(actor=actor, instance=worker, data=data)


def worker_delete(*, actor: Any, worker: Worker) -> None:
    writes.delete(actor=actor, instance=worker, check=_check)


# --- party members ---------------------------------------------------------------------------

#: Statuses a member can be entered with; the others are reached through the services below.
ENTRY_STATUSES = frozenset({MemberStatus.FULL, MemberStatus.PROBATIONARY})


def _validate_activity_card(data: dict[str, Any], member: PartyMember | None = None) -> None:
    def value(name: str):
        if name in data:
            return data[name]
        return getattr(member, name) if member is not None else None

    issued, reviewed = value("activity_card_issued_on"), value("activity_card_reviewed_on")
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if issued and issued > today:
        errors["activity_card_issued_on"] = _("This date lies in the future.")
    if reviewed and reviewed > today:
        errors["activity_card_reviewed_on"] = _("This date lies in the future.")
    elif reviewed and not issued:
        errors["activity_card_reviewed_on"] = _("A card is reviewed only after it is issued.")
    elif reviewed and issued and reviewed < issued:
        errors["activity_card_reviewed_on"] = _("A card cannot be reviewed before it is issued.")
    if (issued or reviewed) and not value("is_mobile"):
        errors["activity_card_issued_on"] = _("Only a mobile member holds an activity card.")
    if errors:
        raise ValidationError(errors)


def member_create(*, actor: Any, data: dict[str, Any]) -> PartyMember:
    """Enter a full or probationary member on the roster."""
    status = data.get("status", MemberStatus.FULL)
    if status not in ENTRY_STATUSES:
        raise ValidationError(
            {"status": _("A member is entered as a full or a probationary member.")}
        )
    _validate_activity_card(data)
    with transaction.atomic():
        member = writes.create(actor=actor, model=PartyMember, data=data, check=_check)
        two_finds_request()
    return member


def member_update(*, actor: Any, member: PartyMember, data: dict[str, Any]) -> PartyMember:
    """Change a member's record, mobile-member fields and activity card. The status is not
    changed here (see :func:`member_suspend`, :func:`member_restore`, :func:`member_make_full`)."""
    if "status" in data and data["status"] != member.status:
        raise ValidationError(
            {"status": _("The status changes only by suspending, restoring or confirming.")}
        )
    _validate_activity_card(data, member)
    return _update_person(actor=actor, instance=member, data=data)


def member_delete(*, actor: Any, member: PartyMember) -> None:
    writes.delete(actor=actor, instance=member, check=_check)


def members_relocate(*, organization: Any) -> int:
    """Move the members located by ``organization`` (hosted by it, or held by it with no
    hosting organization that has a region) to its new region; returns how many moved.
    ``organizations.services.organization_update`` calls it (registered by ``members.apps``)
    inside its transaction, so a member's region never lags their organization's."""
    if not organization.region_id:
        return 0
    located = models.Q(host_organization=organization) | models.Q(
        organization=organization,
        host_organization__region__isnull=True,
    )
    return (
        PartyMember.objects.filter(located)
        .exclude(region_id=organization.region_id)
        .update(region_id=organization.region_id, updated_at=timezone.now())
    )


def _member_status_change(
    *, actor: Any, member: PartyMember, data: dict[str, Any], verb: str
) -> PartyMember:
    with transaction.atomic():
        member = PartyMember.objects.select_for_update().get(pk=member.pk)
        if not scoping.visible(PartyMember, actor).filter(pk=member.pk).exists():
            raise ValidationError(_("This party member is outside your scope."))
        return writes.update(actor=actor, instance=member, data=data, check=_check, verb=verb)


def member_suspend(*, actor: Any, member: PartyMember, today: dt.date | None = None) -> PartyMember:
    """Suspend a membership (停止党籍): only after 6+ months out of contact."""
    today = today or timezone.localdate()
    if member.status not in ENTRY_STATUSES:
        raise ValidationError({"status": _("Only a full or probationary member can be suspended.")})
    limit = months_before(today, SUSPEND_AFTER_MONTHS)
    if member.lost_contact_since is None or member.lost_contact_since > limit:
        raise ValidationError(
            {
                "lost_contact_since": _(
                    "A membership is suspended only after %(months)d months out of contact "
                    "(out of contact since %(limit)s or earlier)."
                )
                % {"months": SUSPEND_AFTER_MONTHS, "limit": limit.isoformat()}
            }
        )
    return _member_status_change(
        actor=actor, member=member, data={"status": MemberStatus.SUSPENDED}, verb="member_suspend"
    )


def member_restore(*, actor: Any, member: PartyMember, today: dt.date | None = None) -> PartyMember:
    """Restore a suspended membership once contact is regained: full, or probationary while
    the probation has not ended."""
    today = today or timezone.localdate()
    if member.status != MemberStatus.SUSPENDED:
        raise ValidationError({"status": _("Only a suspended membership can be restored.")})
    status = (
        MemberStatus.PROBATIONARY
        if member.probation_due and member.probation_due > today
        else MemberStatus.FULL
    )
    return _member_status_change(
        actor=actor,
        member=member,
        data={"status": status, "lost_contact_since": None},
        verb="member_restore",
    )


def member_make_full(
    *, actor: Any, member: PartyMember, today: dt.date | None = None
) -> PartyMember:
    """Confirm a probationary member as a full member (转正), once the probation has ended."""
    today = today or timezone.localdate()
    if member.status != MemberStatus.PROBATIONARY:
        raise ValidationError({"status": _("Only a probationary member can become full.")})
    if member.probation_due is None or member.probation_due > today:
        raise ValidationError(
            {"probation_due": _("The probation has not ended yet.")}
            if member.probation_due
            else {"probation_due": _("Enter when the probation ends first.")}
        )
    return _member_status_change(
        actor=actor, member=member, data={"status": MemberStatus.FULL}, verb="member_make_full"
    )


# --- transfer letters ------------------------------------------------------------------------

#: Fields of a letter that may change while it is a draft.
LETTER_DRAFT_FIELDS = frozenset(
    {"member", "from_organization_name", "to_organization", "to_organization_name"}
    | {"letter_number", "note"}
)


def _check_letter(actor: Any, letter: models.Model, changed: frozenset[str] | None) -> None:
    # The member must be the actor's; the letter may be addressed to any organization.
    touched = frozenset({"member"}) if changed is None else changed & {"member"}
    scoping.ensure_in_scope(actor, letter, touched)


def letter_create(*, actor: Any, data: dict[str, Any]) -> TransferLetter:
    """Draft a transfer letter for a member in the actor's scope."""
    extra = set(data) - LETTER_DRAFT_FIELDS
    if extra & {"status", "issued_on", "valid_until", "closed_on"}:
        raise ValidationError(_("A letter starts as a draft; issue it afterwards."))
    return writes.create(actor=actor, model=TransferLetter, data=data, check=_check_letter)


def _stored_status(letter: TransferLetter) -> str:
    # The caller's copy may be stale (issued meanwhile): the database decides.
    return TransferLetter.objects.filter(pk=letter.pk).values_list("status", flat=True).first()


def letter_update(*, actor: Any, letter: TransferLetter, data: dict[str, Any]) -> TransferLetter:
    """Change a draft letter (an issued letter is not edited, only received or returned)."""
    if _stored_status(letter) != L.DRAFT:
        raise ValidationError(_("Only a draft letter can be changed."))
    refused = set(data) - LETTER_DRAFT_FIELDS
    if refused:
        raise ValidationError(
            {name: _("This changes only through the letter's steps.") for name in refused}
        )
    return writes.update(actor=actor, instance=letter, data=data, check=_check_letter)


def letter_delete(*, actor: Any, letter: TransferLetter) -> None:
    """Delete a draft letter; an issued letter is part of the record."""
    if _stored_status(letter) != L.DRAFT:
        raise ValidationError(_("Only a draft letter can be deleted."))
    writes.delete(actor=actor, instance=letter, check=_check_letter)


#: The allowed next statuses of a letter.
LETTER_TRANSITIONS: dict[str, frozenset[str]] = {
    L.DRAFT: frozenset({L.ISSUED}),
    L.ISSUED: frozenset({L.RECEIVED, L.RETURNED, L.EXPIRED}),
    L.RECEIVED: frozenset(),
    L.EXPIRED: frozenset(),
    L.RETURNED: frozenset(),
}


def _letter_step(
    *, actor: Any, letter: TransferLetter, to_status: str, data: dict[str, Any], verb: str
) -> TransferLetter:
    letter = TransferLetter.objects.select_for_update().get(pk=letter.pk)
    if (
        actor is not None
        and not scoping.visible(TransferLetter, actor).filter(pk=letter.pk).exists()
    ):
        raise ValidationError(_("This transfer letter is outside your scope."))
    if to_status not in LETTER_TRANSITIONS[letter.status]:
        raise ValidationError(
            {
                "status": _("A letter that is “%(from)s” cannot become “%(to)s”.")
                % {"from": L(letter.status).label, "to": L(to_status).label}
            }
        )
    return writes.update(
        actor=actor, instance=letter, data={"status": to_status, **data}, verb=verb
    )


def letter_issue(
    *,
    actor: Any,
    letter: TransferLetter,
    valid_until: dt.date | None,
    issued_on: dt.date | None = None,
    letter_number: str | None = None,
) -> TransferLetter:
    """Issue a draft letter with its validity (at most :data:`LETTER_MAX_VALIDITY_DAYS`)."""
    issued_on = issued_on or timezone.localdate()
    if valid_until is None:
        raise ValidationError({"valid_until": _("Give the date until which the letter is valid.")})
    if valid_until < issued_on:
        raise ValidationError({"valid_until": _("A letter cannot expire before it is issued.")})
    if (valid_until - issued_on).days > LETTER_MAX_VALIDITY_DAYS:
        raise ValidationError(
            {
                "valid_until": _("A letter is valid for at most %(days)d days.")
                % {"days": LETTER_MAX_VALIDITY_DAYS}
            }
        )
    data: dict[str, Any] = {"issued_on": issued_on, "valid_until": valid_until}
    if letter_number is not None:
        data["letter_number"] = letter_number
    with transaction.atomic():
        return _letter_step(
            actor=actor, letter=letter, to_status=L.ISSUED, data=data, verb="letter_issue"
        )


def letter_receive(
    *, actor: Any, letter: TransferLetter, today: dt.date | None = None
) -> TransferLetter:
    """The receiving organization got the letter: a local receiver now holds the relation."""
    today = today or timezone.localdate()
    with transaction.atomic():
        current = TransferLetter.objects.select_for_update().get(pk=letter.pk)
        if current.status == L.ISSUED and current.valid_until and current.valid_until < today:
            raise ValidationError({"valid_until": _("This letter has expired.")})
        letter = _letter_step(
            actor=actor,
            letter=current,
            to_status=L.RECEIVED,
            data={"closed_on": today},
            verb="letter_receive",
        )
        if letter.to_organization_id:
            member = PartyMember.objects.select_for_update().get(pk=letter.member_id)
            # The relation has moved: the member is no longer mobile with a home elsewhere.
            writes.update(
                actor=actor,
                instance=member,
                data={
                    "organization": letter.to_organization,
                    "is_mobile": False,
                    "home_organization_name": "",
                },
                verb="letter_receive",
            )
    return letter


def letter_return(
    *, actor: Any, letter: TransferLetter, note: str = "", today: dt.date | None = None
) -> TransferLetter:
    """The letter came back unused (退回): the relation stays where it was."""
    data: dict[str, Any] = {"closed_on": today or timezone.localdate()}
    if note:
        data["note"] = note[:200]
    with transaction.atomic():
        return _letter_step(
            actor=actor, letter=letter, to_status=L.RETURNED, data=data, verb="letter_return"
        )


def letters_expire(*, today: dt.date | None = None) -> int:
    """Mark every issued letter whose validity has passed as EXPIRED; returns how many.
    Idempotent: run nightly by ``members.tasks.expire_transfer_letters``."""
    today = today or timezone.localdate()
    expired = 0
    due = TransferLetter.objects.filter(status=L.ISSUED, valid_until__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(due.iterator()):
        with transaction.atomic():
            letter = TransferLetter.objects.select_for_update().get(pk=pk)
            if letter.status != L.ISSUED:
                continue
            before = audit.snapshot(letter)
            letter.status = L.EXPIRED
            letter.save(update_fields=["status"])
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                obj=letter,
                changes=audit.diff(before, audit.snapshot(letter)),
                verb="letter_expire",
            )
            expired += 1
    return expired
