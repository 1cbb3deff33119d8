"""The found-member case flow: allowed transitions only, each an event; placement in scope."""

import pytest
from django.core.exceptions import ValidationError

from members.choices import CaseOrigin, CaseStatus
from members.models import Case, CaseEvent
from members.services import cases

pytestmark = pytest.mark.django_db
S = CaseStatus


def _open(world, people):
    return cases.case_open(
        actor=world.staff,
        origin=CaseOrigin.MATCH,
        worker=people.worker_delivery,
        member=people.mobile_member,
    )


def test_open_is_idempotent_and_filed_under_the_workers_place(world, people):
    case = _open(world, people)
    assert _open(world, people).pk == case.pk
    assert case.status == S.DISCOVERED and case.due_on is not None
    assert (case.region, case.industry) == (world.street_a, world.delivery)
    assert list(case.events.values_list("to_status", flat=True)) == [S.DISCOVERED]


def test_the_whole_way_home(world, people):
    case = _open(world, people)
    for status in (S.VERIFYING, S.CONTACTED, S.REPORTED):
        case = cases.case_transition(actor=world.secretary_delivery, case=case, to_status=status)
    case = cases.case_transition(
        actor=world.secretary_delivery,
        case=case,
        to_status=S.ASSIGNED,
        organization=world.branch_delivery,
        note="纳入联合党支部",
    )
    people.mobile_member.refresh_from_db()
    assert people.mobile_member.host_organization == world.branch_delivery
    case = cases.case_transition(actor=world.staff, case=case, to_status=S.TRANSFERRED)
    people.mobile_member.refresh_from_db()
    assert people.mobile_member.organization == world.branch_delivery
    assert not people.mobile_member.is_mobile
    assert case.closed_at is not None and case.due_on is None
    events = list(CaseEvent.objects.filter(case=case).values_list("from_status", "to_status"))
    assert events[-1] == (S.ASSIGNED, S.TRANSFERRED) and len(events) == 6


@pytest.mark.parametrize("target", [S.CONTACTED, S.ASSIGNED, S.TRANSFERRED, S.DISCOVERED])
def test_illegal_transitions_are_refused_and_change_nothing(world, people, target):
    case = _open(world, people)
    with pytest.raises(ValidationError) as caught:
        cases.case_transition(actor=world.staff, case=case, to_status=target)
    assert "status" in caught.value.message_dict
    case.refresh_from_db()
    assert case.status == S.DISCOVERED and case.events.count() == 1


def test_placement_must_be_a_branch_in_the_actors_scope(world, people):
    case = _open(world, people)
    for status in (S.VERIFYING, S.CONTACTED, S.REPORTED):
        case = cases.case_transition(actor=world.staff, case=case, to_status=status)
    for org in (world.branch_express, world.committee_delivery):
        with pytest.raises(ValidationError) as caught:
            cases.case_transition(
                actor=world.secretary_delivery, case=case, to_status=S.ASSIGNED, organization=org
            )
        assert "organization" in caught.value.message_dict
    assert Case.objects.get(pk=case.pk).status == S.REPORTED


def test_a_case_outside_scope_cannot_be_moved(world, people):
    case = _open(world, people)
    with pytest.raises(ValidationError):
        cases.case_transition(actor=world.secretary_express, case=case, to_status=S.VERIFYING)
    assert Case.objects.get(pk=case.pk).status == S.DISCOVERED


def test_rejecting_needs_a_reason(world, people):
    case = _open(world, people)
    with pytest.raises(ValidationError) as caught:
        cases.case_transition(actor=world.staff, case=case, to_status=S.REJECTED)
    assert "note" in caught.value.message_dict


def test_case_events_are_never_changed_or_deleted(world, people):
    case = _open(world, people)
    event = CaseEvent.objects.filter(case=case).first()
    event.note = "改写"
    for attempt in (
        event.save,
        event.delete,
        lambda: CaseEvent.objects.filter(pk=event.pk).update(note="改写"),
        lambda: CaseEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(ValidationError):
            attempt()
    event.refresh_from_db()
    assert event.note != "改写"
