"""The workflow: every allowed transition and every refusal, each step an immutable event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from appeals import services
from appeals.choices import EventKind, InboxKind, Level, Status
from appeals.models import Appeal, AppealEvent, ImmutableRecordError, InboxMessage
from organizations.choices import OrganizationStatus

from .conftest import MONDAY_9

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The refusals are matched by their words; services speak the request's language.
    with override("en"):
        yield


HOUR = dt.timedelta(hours=1)


def kinds(appeal) -> list[str]:
    return list(appeal.events.order_by("at", "id").values_list("kind", flat=True))


@pytest.fixture
def dispatched(world, file_appeal):
    appeal = file_appeal()
    return services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.branch_delivery, now=MONDAY_9 + HOUR
    )


@pytest.fixture
def signed(world, dispatched):
    return services.appeal_sign(
        actor=world.secretary_delivery, appeal=dispatched, now=MONDAY_9 + 2 * HOUR
    )


@pytest.fixture
def replied(world, signed):
    return services.appeal_reply(
        actor=world.secretary_delivery,
        appeal=signed,
        reply="已协调站点退还扣款200元。",
        now=MONDAY_9 + 3 * HOUR,
    )


@pytest.fixture
def closed(world, replied):
    return services.appeal_close(actor=world.staff, appeal=replied, now=MONDAY_9 + 4 * HOUR)


def test_intake_gives_a_reference_due_times_and_a_first_event(world, file_appeal):
    appeal = file_appeal()
    assert appeal.reference.startswith("SQ20260302") and len(appeal.reference) == 16
    assert appeal.status == Status.RECEIVED and appeal.level == Level.WORKER
    # Wages, normal: 8 working hours to dispatch from Monday 09:00.
    assert appeal.due_at.isoformat() == "2026-03-02T17:00:00+08:00"
    # Then 5 working days to reply: the Monday after, end of day.
    assert appeal.expected_at.isoformat() == "2026-03-09T17:30:00+08:00"
    assert appeal.platform == world.platform  # derived from the outlet's platform
    assert appeal.submitted_by == world.staff
    event = appeal.events.get()
    assert (event.kind, event.from_status, event.to_status) == ("create", "", "received")


def test_anonymous_intake_has_no_submitter_and_no_scope_check(world, catalogues):
    appeal = services.appeal_create(
        actor=None,
        data={"category": "account_ban", "description": "账号被封，申诉无门。"},
        channel="web",
        now=MONDAY_9,
    )
    assert appeal.submitted_by is None and appeal.submitter is None
    assert appeal.events.get().actor_label


def test_member_relay_starts_at_the_party_member_level(world, file_appeal):
    assert file_appeal(channel="member_relay").level == Level.PARTY_MEMBER


def test_intake_refuses_bad_input_field_by_field(world, file_appeal):
    before = Appeal.objects.count()
    with pytest.raises(ValidationError) as exc:
        file_appeal(description=" ", latitude=31.7)
    assert {"description", "longitude"} <= set(exc.value.message_dict)
    assert Appeal.objects.count() == before


def test_the_whole_chain_to_a_satisfied_archive(world, closed):
    appeal = services.appeal_visit(
        actor=world.staff, appeal=closed, score=5, note="满意", now=MONDAY_9 + 5 * HOUR
    )
    assert appeal.status == Status.ARCHIVED and appeal.satisfaction == 5
    assert kinds(appeal) == ["create", "dispatch", "sign", "reply", "close", "visit", "archive"]
    dispatch = appeal.events.get(kind="dispatch")
    assert (dispatch.from_level, dispatch.to_level) == (Level.WORKER, Level.PARTY_BRANCH)
    assert dispatch.organization == world.branch_delivery
    assert dispatch.actor == world.staff


def test_sign_sets_the_reply_deadline_in_working_days(world, signed):
    # Signed Monday 11:00; wages: 5 working days → Monday 9 March, 17:30.
    assert signed.status == Status.SIGNED
    assert signed.due_at.isoformat() == "2026-03-09T17:30:00+08:00"
    assert signed.expected_at == signed.due_at


def test_start_then_extend_once_with_a_reason(world, signed):
    appeal = services.appeal_start(
        actor=world.secretary_delivery, appeal=signed, now=MONDAY_9 + 3 * HOUR
    )
    assert appeal.status == Status.IN_PROGRESS
    appeal = services.appeal_extend(
        actor=world.secretary_delivery,
        appeal=appeal,
        reason="需平台总部核实",
        now=MONDAY_9 + 4 * HOUR,
    )
    assert appeal.status == Status.EXTENDED and appeal.extended
    # Five more working days from the old deadline (Monday 9 March) → Monday 16 March.
    assert appeal.due_at.isoformat() == "2026-03-16T17:30:00+08:00"
    appeal = services.appeal_reply(actor=world.secretary_delivery, appeal=appeal, reply="已处理")
    assert appeal.status == Status.REPLIED and appeal.due_at is None


def test_extending_twice_is_refused_also_after_an_escalation(world, signed):
    appeal = services.appeal_extend(actor=world.secretary_delivery, appeal=signed, reason="核实")
    # Overdue after the extension: escalated to the committee, which signs for it again.
    assert services.escalate_overdue(now=appeal.due_at + HOUR) == 1
    appeal.refresh_from_db()
    appeal = services.appeal_sign(actor=world.secretary_delivery, appeal=appeal)
    assert appeal.status == Status.SIGNED and appeal.extended
    events = AppealEvent.objects.count()
    with pytest.raises(ValidationError, match="already extended"):
        services.appeal_extend(actor=world.secretary_delivery, appeal=appeal, reason="又一次")
    assert AppealEvent.objects.count() == events
    appeal.refresh_from_db()
    assert appeal.status == Status.SIGNED


def test_a_reopened_appeal_may_be_extended_again(world, signed):
    appeal = services.appeal_extend(actor=world.secretary_delivery, appeal=signed, reason="核实")
    appeal = services.appeal_reply(actor=world.secretary_delivery, appeal=appeal, reply="答复")
    appeal = services.appeal_close(actor=world.staff, appeal=appeal)
    appeal = services.appeal_visit(actor=world.staff, appeal=appeal, score=2)
    assert appeal.extended is False
    appeal = services.appeal_sign(actor=world.secretary_delivery, appeal=appeal)
    appeal = services.appeal_extend(actor=world.secretary_delivery, appeal=appeal, reason="再核实")
    assert appeal.status == Status.EXTENDED


def test_an_extension_needs_a_reason(world, signed):
    with pytest.raises(ValidationError) as exc:
        services.appeal_extend(actor=world.secretary_delivery, appeal=signed, reason="  ")
    assert "reason" in exc.value.message_dict
    signed.refresh_from_db()
    assert signed.status == Status.SIGNED and not signed.extended


def test_a_reply_needs_text(world, signed):
    with pytest.raises(ValidationError) as exc:
        services.appeal_reply(actor=world.secretary_delivery, appeal=signed, reply="")
    assert "reply" in exc.value.message_dict


def test_dispute_then_redispatch_elsewhere(world, dispatched):
    appeal = services.appeal_dispute(
        actor=world.secretary_delivery,
        appeal=dispatched,
        reason="不属本支部",
        now=MONDAY_9 + 2 * HOUR,
    )
    assert appeal.status == Status.DISPUTED
    with pytest.raises(ValidationError) as exc:
        services.appeal_dispatch(
            actor=world.staff, appeal=appeal, organization=world.branch_delivery
        )
    assert "organization" in exc.value.message_dict
    appeal = services.appeal_dispatch(
        actor=world.staff,
        appeal=appeal,
        organization=world.committee_delivery,
        now=MONDAY_9 + 3 * HOUR,
    )
    assert appeal.status == Status.DISPATCHED and appeal.level == Level.INDUSTRY_COMMITTEE
    assert kinds(appeal) == ["create", "dispatch", "dispute", "dispatch"]


def test_a_dispute_needs_a_reason(world, dispatched):
    with pytest.raises(ValidationError) as exc:
        services.appeal_dispute(actor=world.secretary_delivery, appeal=dispatched, reason="")
    assert "reason" in exc.value.message_dict


def test_unsatisfied_visit_reopens_one_level_higher_at_the_parent(world, closed):
    appeal = services.appeal_visit(actor=world.staff, appeal=closed, score=2, note="没解决")
    assert appeal.status == Status.DISPATCHED
    assert appeal.assigned_organization == world.committee_delivery
    assert appeal.level == Level.INDUSTRY_COMMITTEE
    assert appeal.reply == "" and appeal.satisfaction == 2
    assert kinds(appeal)[-3:] == ["visit", "reopen", "dispatch"]
    reopen = appeal.events.get(kind="reopen")
    assert (reopen.from_level, reopen.to_level) == (Level.PARTY_BRANCH, Level.INDUSTRY_COMMITTEE)


def test_unsatisfied_at_the_top_stays_at_the_top(world, file_appeal):
    appeal = file_appeal()
    appeal = services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.working_committee
    )
    appeal = services.appeal_sign(actor=world.staff, appeal=appeal)
    appeal = services.appeal_reply(actor=world.staff, appeal=appeal, reply="答复")
    appeal = services.appeal_close(actor=world.staff, appeal=appeal)
    appeal = services.appeal_visit(actor=world.staff, appeal=appeal, score=1)
    assert appeal.assigned_organization == world.working_committee
    assert appeal.level == Level.ORGANIZATION_DEPARTMENT
    assert appeal.status == Status.DISPATCHED


@pytest.mark.parametrize("score", [0, 6, "x", None])
def test_visit_scores_outside_1_to_5_are_refused(world, closed, score):
    with pytest.raises(ValidationError) as exc:
        services.appeal_visit(actor=world.staff, appeal=closed, score=score)
    assert "score" in exc.value.message_dict
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED


def test_the_worker_may_rate_through_a_verified_door(world, closed):
    appeal = services.appeal_visit(actor=None, appeal=closed, score=4)
    assert appeal.status == Status.ARCHIVED


# --- refusals: state ----------------------------------------------------------------------------

#: (action, the service call) for every user action.
CALLS = {
    "dispatch": lambda w, a: services.appeal_dispatch(
        actor=w.staff, appeal=a, organization=w.committee_delivery
    ),
    "dispute": lambda w, a: services.appeal_dispute(actor=w.staff, appeal=a, reason="不属"),
    "sign": lambda w, a: services.appeal_sign(actor=w.staff, appeal=a),
    "start": lambda w, a: services.appeal_start(actor=w.staff, appeal=a),
    "extend": lambda w, a: services.appeal_extend(actor=w.staff, appeal=a, reason="原因"),
    "reply": lambda w, a: services.appeal_reply(actor=w.staff, appeal=a, reply="答复"),
    "close": lambda w, a: services.appeal_close(actor=w.staff, appeal=a),
    "visit": lambda w, a: services.appeal_visit(actor=w.staff, appeal=a, score=5),
}


def _appeal_in(world, file_appeal, status: str) -> Appeal:
    appeal = file_appeal()
    path = {
        "received": [],
        "dispatched": ["dispatch"],
        "disputed": ["dispatch", "dispute"],
        "signed": ["dispatch", "sign"],
        "in_progress": ["dispatch", "sign", "start"],
        "extended": ["dispatch", "sign", "extend"],
        "replied": ["dispatch", "sign", "reply"],
        "closed": ["dispatch", "sign", "reply", "close"],
        "archived": ["dispatch", "sign", "reply", "close", "visit"],
    }[status]
    for action in path:
        if action == "dispatch":
            appeal = services.appeal_dispatch(
                actor=world.staff, appeal=appeal, organization=world.branch_delivery
            )
        else:
            appeal = CALLS[action](world, appeal)
    assert appeal.status == status
    return appeal


ALLOWED = {
    "received": {"dispatch"},
    "dispatched": {"dispute", "sign"},
    "disputed": {"dispatch"},
    "signed": {"start", "extend", "reply"},
    "in_progress": {"extend", "reply"},
    "extended": {"reply"},
    "replied": {"close"},
    "closed": {"visit"},
    "archived": set(),
}


@pytest.mark.parametrize("status", list(ALLOWED))
def test_allowed_actions_follow_the_transition_table(world, file_appeal, status):
    appeal = _appeal_in(world, file_appeal, status)
    assert set(services.allowed_actions(appeal)) == ALLOWED[status]


REFUSED = [(s, action) for s in ALLOWED for action in CALLS if action not in ALLOWED[s]]


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_every_transition_outside_the_table_is_refused(world, file_appeal, status, action):
    appeal = _appeal_in(world, file_appeal, status)
    events = AppealEvent.objects.filter(appeal=appeal).count()
    with pytest.raises(ValidationError):
        CALLS[action](world, appeal)
    appeal.refresh_from_db()
    assert appeal.status == status
    assert AppealEvent.objects.filter(appeal=appeal).count() == events


# --- refusals: scope and level ------------------------------------------------------------------


def test_dispatch_outside_the_actors_scope_is_refused(world, catalogues):
    appeal = services.appeal_create(
        actor=world.secretary_delivery,
        data={
            "category": catalogues["wages"],
            "channel": "in_person",
            "description": "扣款",
            "industry": world.delivery,
            "region": world.street_a,
        },
    )
    with pytest.raises(ValidationError) as exc:
        services.appeal_dispatch(
            actor=world.secretary_delivery, appeal=appeal, organization=world.branch_express
        )
    assert "organization" in exc.value.message_dict
    appeal.refresh_from_db()
    assert appeal.status == Status.RECEIVED and appeal.assigned_organization is None


def test_dispatch_below_the_level_reached_is_refused(world, dispatched):
    appeal = services.appeal_dispute(actor=world.staff, appeal=dispatched, reason="不属")
    appeal = services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.committee_delivery
    )
    appeal = services.appeal_dispute(actor=world.staff, appeal=appeal, reason="应由支部")
    with pytest.raises(ValidationError, match="level"):
        services.appeal_dispatch(
            actor=world.staff, appeal=appeal, organization=world.branch_express
        )


def test_dispatch_to_a_dissolved_organization_is_refused(world, file_appeal):
    world.branch_express.status = OrganizationStatus.DISSOLVED
    world.branch_express.save()
    with pytest.raises(ValidationError) as exc:
        services.appeal_dispatch(
            actor=world.staff, appeal=file_appeal(), organization=world.branch_express
        )
    assert "organization" in exc.value.message_dict


def test_only_the_assigned_organization_or_above_signs(world, dispatched):
    with pytest.raises(ValidationError, match="outside your scope"):
        services.appeal_sign(actor=world.secretary_express, appeal=dispatched)
    with pytest.raises(ValidationError, match="Sign in"):
        services.appeal_sign(actor=None, appeal=dispatched)
    assert services.appeal_sign(actor=world.secretary_delivery, appeal=dispatched).status == (
        Status.SIGNED
    )


def test_a_district_officer_seeing_the_appeal_may_not_act_for_the_branch(world, catalogues):
    appeal = services.appeal_create(
        actor=world.staff,
        data={
            "category": catalogues["wages"],
            "channel": "in_person",
            "description": "扣款",
            "region": world.district_b,
            "enterprise": world.ent_delivery_b,
        },
    )
    appeal = services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.branch_delivery
    )
    with pytest.raises(ValidationError, match="assigned organization"):
        services.appeal_sign(actor=world.district_officer, appeal=appeal)


# --- events and notifications --------------------------------------------------------------------


def test_events_are_immutable(world, dispatched):
    event = dispatched.events.first()
    event.note = "改写"
    with pytest.raises(ImmutableRecordError):
        event.save()
    with pytest.raises(ImmutableRecordError):
        event.delete()
    with pytest.raises(ImmutableRecordError):
        AppealEvent.objects.filter(pk=event.pk).update(note="改写")
    with pytest.raises(ImmutableRecordError):
        AppealEvent.objects.filter(pk=event.pk).delete()


def test_dispatch_notifies_the_organization_after_commit(
    world, file_appeal, django_capture_on_commit_callbacks
):
    appeal = file_appeal()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.appeal_dispatch(
            actor=world.staff, appeal=appeal, organization=world.branch_delivery
        )
    assert callbacks
    message = InboxMessage.objects.get(kind=InboxKind.DISPATCHED)
    assert message.recipient_organization == world.branch_delivery
    assert appeal.reference in message.text


def test_a_refused_step_notifies_nobody(world, file_appeal, django_capture_on_commit_callbacks):
    appeal = file_appeal()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.appeal_dispatch(
            actor=world.secretary_delivery, appeal=appeal, organization=world.branch_express
        )
    assert not InboxMessage.objects.exists()


def test_each_step_writes_an_event_with_actor_time_and_note(world, dispatched):
    event = dispatched.events.get(kind=EventKind.DISPATCH)
    assert event.actor == world.staff and event.at == MONDAY_9 + HOUR
    assert event.from_status == Status.RECEIVED and event.to_status == Status.DISPATCHED


def test_follow_up_by_the_last_phone_digits(world, rider, file_appeal):
    appeal = file_appeal(contact_phone="+86 139 1234 5678")
    assert appeal.phone_ends_with("5678") and appeal.phone_ends_with("345678")
    assert not appeal.phone_ends_with("678")  # fewer than four digits never match
    assert not appeal.phone_ends_with("1111")
    worker = rider
    own = file_appeal(submitter=worker, contact_phone="", contact_name="")
    assert own.contact_name == worker.name
    assert own.phone_ends_with(worker.phone[-4:])
    stored = Appeal.objects.get(pk=appeal.pk)
    assert stored.contact_phone_index and "5678" not in stored.contact_phone_index
