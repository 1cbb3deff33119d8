"""Services for workers, members and transfer letters: the rules every face relies on."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEvent
from members.choices import MemberStatus, TransferLetterStatus
from members.models import PartyMember, TransferLetter, Worker
from members.services import people as svc
from members.tasks import expire_transfer_letters
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def audit_verbs(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        ).values_list("verb", flat=True)
    )


# --- workers: identity changes queue re-matching -------------------------------------------


def test_changing_a_match_field_moves_identity_changed_at(world, people):
    worker = people.worker_delivery
    stamp = worker.identity_changed_at
    updated = svc.worker_update(actor=world.staff, worker=worker, data={"phone": f.phone_for(777)})
    assert updated.identity_changed_at > stamp
    assert Worker.objects.get(pk=worker.pk).phone == f.phone_for(777)


def test_changing_other_fields_or_respelling_the_id_does_not(world, people):
    worker = people.worker_delivery
    stamp = worker.identity_changed_at
    updated = svc.worker_update(
        actor=world.staff,
        worker=worker,
        data={"active": False, "id_number": worker.id_number.lower(), "name": f" {worker.name} "},
    )
    assert updated.identity_changed_at == stamp
    moved = svc.worker_update(actor=world.staff, worker=updated, data={"region": world.district_b})
    assert moved.identity_changed_at > stamp


def test_worker_pointing_outside_scope_is_refused_and_nothing_written(world):
    before = Worker.objects.count()
    with pytest.raises(ValidationError) as caught:
        svc.worker_create(
            actor=world.secretary_express,
            data={
                "source": "meituan",
                "external_id": "MT-X",
                "name": "周八",
                "industry": world.delivery,
                "enterprise": world.ent_delivery_a,
            },
        )
    assert "enterprise" in caught.value.message_dict
    assert Worker.objects.count() == before


def test_worker_create_with_bad_id_is_a_field_error(world):
    with pytest.raises(ValidationError) as caught:
        svc.worker_create(
            actor=world.staff,
            data={
                "source": "s",
                "external_id": "1",
                "name": "李四",
                "id_number": "110105194912310021",
            },
        )
    assert "id_number" in caught.value.message_dict
    assert not Worker.objects.filter(source="s").exists()


# --- members: status rules ------------------------------------------------------------------


def test_suspend_needs_six_months_out_of_contact(world, people):
    member = people.member_delivery
    with pytest.raises(ValidationError) as caught:
        svc.member_suspend(actor=world.secretary_delivery, member=member, today=TODAY)
    assert "lost_contact_since" in caught.value.message_dict
    PartyMember.objects.filter(pk=member.pk).update(lost_contact_since=dt.date(2026, 6, 2))
    member.refresh_from_db()
    with pytest.raises(ValidationError):
        svc.member_suspend(actor=world.secretary_delivery, member=member, today=TODAY)
    assert PartyMember.objects.get(pk=member.pk).status == MemberStatus.FULL
    PartyMember.objects.filter(pk=member.pk).update(lost_contact_since=dt.date(2026, 6, 1))
    member.refresh_from_db()
    suspended = svc.member_suspend(actor=world.secretary_delivery, member=member, today=TODAY)
    assert suspended.status == MemberStatus.SUSPENDED
    assert "member_suspend" in audit_verbs(member)


def test_suspend_outside_scope_is_refused(world, people):
    member = people.member_delivery
    PartyMember.objects.filter(pk=member.pk).update(lost_contact_since=dt.date(2025, 1, 1))
    member.refresh_from_db()
    with pytest.raises(ValidationError):
        svc.member_suspend(actor=world.secretary_express, member=member)
    assert PartyMember.objects.get(pk=member.pk).status == MemberStatus.FULL


def test_restore_only_a_suspended_member_and_clear_lost_contact(world, people):
    member = people.member_delivery
    with pytest.raises(ValidationError):
        svc.member_restore(actor=world.staff, member=member)
    PartyMember.objects.filter(pk=member.pk).update(
        status=MemberStatus.SUSPENDED, lost_contact_since=dt.date(2025, 1, 1)
    )
    member.refresh_from_db()
    restored = svc.member_restore(actor=world.staff, member=member)
    assert restored.status == MemberStatus.FULL
    assert restored.lost_contact_since is None


def test_make_full_only_after_probation(world):
    member = f.PartyMemberFactory(
        organization=world.branch_delivery,
        status=MemberStatus.PROBATIONARY,
        joined_on=dt.date(2026, 3, 1),
    )
    assert member.probation_due == dt.date(2027, 3, 1)
    with pytest.raises(ValidationError) as caught:
        svc.member_make_full(actor=world.staff, member=member, today=TODAY)
    assert "probation_due" in caught.value.message_dict
    done = svc.member_make_full(actor=world.staff, member=member, today=dt.date(2027, 3, 1))
    assert done.status == MemberStatus.FULL
    with pytest.raises(ValidationError):
        svc.member_make_full(actor=world.staff, member=done, today=dt.date(2027, 3, 2))


def test_status_is_not_changed_by_a_plain_update(world, people):
    with pytest.raises(ValidationError) as caught:
        svc.member_update(
            actor=world.staff,
            member=people.member_delivery,
            data={"status": MemberStatus.SUSPENDED},
        )
    assert "status" in caught.value.message_dict
    with pytest.raises(ValidationError):
        svc.member_create(
            actor=world.staff,
            data={
                "member_id": "N1",
                "name": "新人",
                "status": MemberStatus.REMOVED,
                "organization": world.branch_delivery,
            },
        )


def test_activity_card_dates_are_checked(world, people):
    mobile = people.mobile_member
    with pytest.raises(ValidationError) as caught:
        svc.member_update(
            actor=world.secretary_delivery,
            member=mobile,
            data={
                "activity_card_number": "LD-001",
                "activity_card_issued_on": dt.date(2026, 5, 1),
                "activity_card_reviewed_on": dt.date(2026, 4, 1),
            },
        )
    assert "activity_card_reviewed_on" in caught.value.message_dict
    updated = svc.member_update(
        actor=world.secretary_delivery,
        member=mobile,
        data={
            "activity_card_number": "LD-001",
            "activity_card_issued_on": dt.date(2026, 5, 1),
            "activity_card_reviewed_on": dt.date(2026, 11, 1),
        },
    )
    assert updated.activity_card_number == "LD-001"
    with pytest.raises(ValidationError):
        svc.member_update(
            actor=world.secretary_delivery,
            member=people.member_delivery,
            data={"activity_card_issued_on": dt.date(2026, 5, 1)},
        )


# --- transfer letters -----------------------------------------------------------------------


def draft_for(world, member, **extra) -> TransferLetter:
    return svc.letter_create(
        actor=world.secretary_delivery,
        data={
            "member": member,
            "from_organization_name": "安徽省阜阳市某村党支部",
            "to_organization": world.branch_delivery,
            **extra,
        },
    )


def test_letter_issue_needs_a_sensible_validity(world, people):
    letter = draft_for(world, people.mobile_member)
    assert letter.status == TransferLetterStatus.DRAFT
    actor = world.secretary_delivery
    with pytest.raises(ValidationError) as caught:
        svc.letter_issue(actor=actor, letter=letter, valid_until=None)
    assert "valid_until" in caught.value.message_dict
    with pytest.raises(ValidationError):
        svc.letter_issue(
            actor=actor, letter=letter, valid_until=TODAY + dt.timedelta(days=91), issued_on=TODAY
        )
    with pytest.raises(ValidationError):
        svc.letter_issue(
            actor=actor, letter=letter, valid_until=TODAY - dt.timedelta(days=1), issued_on=TODAY
        )
    assert TransferLetter.objects.get(pk=letter.pk).status == TransferLetterStatus.DRAFT
    issued = svc.letter_issue(
        actor=actor, letter=letter, valid_until=TODAY + dt.timedelta(days=90), issued_on=TODAY
    )
    assert (issued.status, issued.issued_on) == (TransferLetterStatus.ISSUED, TODAY)
    assert "letter_issue" in audit_verbs(letter)


def test_receiving_a_letter_moves_the_relation(world, people):
    mobile = people.mobile_member
    letter = draft_for(world, mobile)
    today = timezone.localdate()
    svc.letter_issue(actor=world.staff, letter=letter, valid_until=today + dt.timedelta(days=30))
    received = svc.letter_receive(actor=world.staff, letter=letter)
    assert received.status == TransferLetterStatus.RECEIVED
    assert received.closed_on == today
    mobile.refresh_from_db()
    assert mobile.organization == world.branch_delivery
    assert not mobile.is_mobile and mobile.home_organization_name == ""


def test_only_allowed_letter_steps(world, people):
    letter = draft_for(world, people.mobile_member)
    for step in (svc.letter_receive, svc.letter_return):
        with pytest.raises(ValidationError) as caught:
            step(actor=world.staff, letter=letter)
        assert "status" in caught.value.message_dict
    today = timezone.localdate()
    svc.letter_issue(actor=world.staff, letter=letter, valid_until=today + dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        svc.letter_issue(actor=world.staff, letter=letter, valid_until=today + dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        svc.letter_update(actor=world.staff, letter=letter, data={"note": "改"})
    with pytest.raises(ValidationError):
        svc.letter_delete(actor=world.staff, letter=letter)
    returned = svc.letter_return(actor=world.staff, letter=letter, note="对方组织撤销")
    assert returned.status == TransferLetterStatus.RETURNED
    with pytest.raises(ValidationError):
        svc.letter_receive(actor=world.staff, letter=letter)
    people.mobile_member.refresh_from_db()
    assert people.mobile_member.is_mobile  # a returned letter moves nothing


def test_letter_for_a_member_outside_scope_is_refused(world, people):
    with pytest.raises(ValidationError):
        svc.letter_create(
            actor=world.secretary_express,
            data={
                "member": people.member_delivery,
                "from_organization_name": "x",
                "to_organization_name": "外省某支部",
            },
        )
    assert not TransferLetter.objects.exists()


def test_letters_expire_after_validity_idempotently(world, people):
    letter = draft_for(world, people.mobile_member)
    svc.letter_issue(
        actor=world.staff, letter=letter, valid_until=TODAY + dt.timedelta(days=10), issued_on=TODAY
    )
    assert svc.letters_expire(today=TODAY + dt.timedelta(days=10)) == 0
    assert svc.letters_expire(today=TODAY + dt.timedelta(days=11)) == 1
    assert svc.letters_expire(today=TODAY + dt.timedelta(days=12)) == 0
    letter.refresh_from_db()
    assert letter.status == TransferLetterStatus.EXPIRED
    assert "letter_expire" in audit_verbs(letter)
    with pytest.raises(ValidationError):
        svc.letter_receive(actor=world.staff, letter=letter)


def test_an_expired_but_unswept_letter_cannot_be_received(world, people):
    letter = draft_for(world, people.mobile_member)
    svc.letter_issue(
        actor=world.staff, letter=letter, valid_until=TODAY + dt.timedelta(days=1), issued_on=TODAY
    )
    with pytest.raises(ValidationError) as caught:
        svc.letter_receive(actor=world.staff, letter=letter, today=TODAY + dt.timedelta(days=2))
    assert "valid_until" in caught.value.message_dict


def test_nightly_task_expires_letters_and_is_scheduled(world, people, task_runner):
    letter = draft_for(world, people.mobile_member)
    TransferLetter.objects.filter(pk=letter.pk).update(
        status=TransferLetterStatus.ISSUED,
        issued_on=dt.date(2020, 1, 1),
        valid_until=dt.date(2020, 2, 1),
    )
    assert expire_transfer_letters.delay().get(timeout=30) == {"expired": 1}
    assert TransferLetter.objects.get(pk=letter.pk).status == TransferLetterStatus.EXPIRED
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "members.tasks.expire_transfer_letters" in tasks
