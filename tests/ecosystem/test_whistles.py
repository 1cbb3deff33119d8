"""Whistles: every rule refused with a field error and nothing written, the steps, the figures,
and a whistle not acknowledged in time escalating by itself (the beat scan)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from appeals.choices import InboxKind
from appeals.models import InboxMessage
from ecosystem import tasks
from ecosystem.whistles import selectors, services
from ecosystem.whistles.choices import AssignmentStatus, WhistleEventKind, WhistleStatus
from ecosystem.whistles.models import Whistle, WhistleAssignment, WhistleEvent
from organizations.choices import OrganizationKind
from tests import factories as f

from .conftest import MONDAY_9

HOUR = dt.timedelta(hours=1)


def test_the_chain_committees_nest_under_the_party_rules(world, chain):
    # A chain committee stands under the comprehensive committee, never straight under the
    # working committee; the comprehensive committee never under an industry committee.
    wrong = f.PartyOrganizationFactory.build(
        code="x", name="x", kind=OrganizationKind.CHAIN_COMMITTEE, parent=world.working_committee
    )
    with pytest.raises(ValidationError) as exc:
        wrong.full_clean()
    assert "parent" in exc.value.message_dict
    wrong = f.PartyOrganizationFactory.build(
        code="y",
        name="y",
        kind=OrganizationKind.CHAIN_GENERAL_COMMITTEE,
        parent=world.committee_delivery,
    )
    with pytest.raises(ValidationError) as exc:
        wrong.full_clean()
    assert "parent" in exc.value.message_dict
    branch = f.PartyOrganizationFactory.build(
        code="z", name="z", kind=OrganizationKind.BRANCH, parent=chain.committee
    )
    branch.full_clean()  # an enterprise's branch under its chain committee is fine


def test_a_chain_is_run_by_a_chain_committee(world, chain):
    with pytest.raises(ValidationError) as exc:
        services.industry_chain_create(
            actor=world.staff,
            data={"code": "bad", "name": "坏链", "committee": world.committee_delivery},
        )
    assert "committee" in exc.value.message_dict


def test_raise_and_route_sets_a_working_time_deadline(world, chain, raise_whistle):
    whistle = raise_whistle()
    assert whistle.reference == "CS202600001"
    assert whistle.status == WhistleStatus.ROUTED
    assignment = whistle.assignments.get()
    # 8 working hours from Monday 09:00 (the day closes at 17:30) end at 17:00; from Friday
    # 16:00 they would run over the weekend.
    assert assignment.due_at == MONDAY_9 + 8 * HOUR
    friday = raise_whistle(now=MONDAY_9 + dt.timedelta(days=4, hours=7)).assignments.get()
    # Friday 16:00 + 1.5 h on Friday, + 6.5 h from Monday 08:30 = Monday 15:00.
    assert friday.due_at == MONDAY_9 + dt.timedelta(days=7, hours=6)
    kinds = list(whistle.events.values_list("kind", flat=True))
    assert kinds == [WhistleEventKind.RAISE, WhistleEventKind.ROUTE]


def test_an_enterprise_of_another_chain_is_refused(world, chain):
    with pytest.raises(ValidationError) as exc:
        services.whistle_raise(
            actor=world.staff,
            data={
                "chain": chain.chain,
                "enterprise": chain.outsider,
                "category": "land",
                "title": "用地指标",
            },
        )
    assert "enterprise" in exc.value.message_dict
    assert not Whistle.objects.exists()


def test_an_enterprise_outside_scope_is_refused(world, chain, raise_whistle):
    with pytest.raises(ValidationError) as exc:
        raise_whistle(actor=chain.secretary, enterprise=chain.outsider)
    assert "enterprise" in exc.value.message_dict
    assert not Whistle.objects.exists()


def test_bad_category_is_a_field_error(world, chain, raise_whistle):
    with pytest.raises(ValidationError) as exc:
        raise_whistle(category="weather")
    assert "category" in exc.value.message_dict
    assert not Whistle.objects.exists()


def test_route_needs_a_department(world, chain, raise_whistle):
    whistle = raise_whistle(departments=[])
    assert whistle.status == WhistleStatus.RAISED
    with pytest.raises(ValidationError) as exc:
        services.whistle_route(actor=world.staff, whistle=whistle, departments=[])
    assert "departments" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.whistle_route(actor=world.staff, whistle=whistle, departments=[])
    assert not WhistleAssignment.objects.exists()


def test_resolve_before_report_is_refused(world, chain, raise_whistle):
    assignment = raise_whistle().assignments.get()
    with pytest.raises(ValidationError) as exc:
        services.assignment_resolve(actor=world.staff, assignment=assignment, outcome="已解决")
    assert "status" in exc.value.message_dict
    assert WhistleAssignment.objects.get().status == AssignmentStatus.ASSIGNED


def test_resolve_without_outcome_or_with_a_negative_loan_is_refused(world, chain, raise_whistle):
    assignment = raise_whistle().assignments.get()
    services.assignment_report(actor=world.staff, assignment=assignment, now=MONDAY_9 + HOUR)
    for kwargs, field in (
        ({"outcome": " "}, "outcome"),
        ({"outcome": "x", "loan_amount": "-1"}, "loan_amount"),
        ({"outcome": "x", "loan_amount": "abc"}, "loan_amount"),
        ({"outcome": "x", "talents_introduced": -3}, "talents_introduced"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.assignment_resolve(actor=world.staff, assignment=assignment, **kwargs)
        assert field in exc.value.message_dict
    assert WhistleAssignment.objects.get().status == AssignmentStatus.REPORTED


def test_the_department_reports_and_resolves_and_the_whistle_closes(world, chain, raise_whistle):
    from ecosystem.whistles.models import Policy

    policy = Policy.objects.create(title="制造业贷款贴息", category="financing")
    whistle = raise_whistle()
    assignment = whistle.assignments.get()
    # The member unit's staff see and answer what is assigned to their unit.
    assert selectors.assignments_for(chain.finance_staff).filter(pk=assignment.pk).exists()
    services.assignment_report(
        actor=chain.finance_staff, assignment=assignment, note="已对接三家银行", now=MONDAY_9 + HOUR
    )
    services.assignment_resolve(
        actor=chain.finance_staff,
        assignment=assignment,
        outcome="协调授信",
        loan_amount="200000000",
        talents_introduced=2,
        approval_obtained=True,
        policies=[policy],
        now=MONDAY_9 + 3 * HOUR,
    )
    whistle.refresh_from_db()
    assert whistle.status == WhistleStatus.RESOLVED
    assert list(whistle.policies.all()) == [policy]
    services.whistle_close(actor=world.staff, whistle=whistle, now=MONDAY_9 + 4 * HOUR)
    whistle.refresh_from_db()
    assert whistle.status == WhistleStatus.CLOSED
    with pytest.raises(ValidationError) as exc:
        services.whistle_close(actor=world.staff, whistle=whistle)
    assert "status" in exc.value.message_dict


def test_a_department_cannot_answer_for_another(world, chain, raise_whistle):
    whistle = raise_whistle(departments=[])
    services.whistle_route(
        actor=world.staff, whistle=whistle, departments=[chain.resources], now=MONDAY_9
    )
    assignment = whistle.assignments.get()
    with pytest.raises(ValidationError):
        services.assignment_report(actor=chain.finance_staff, assignment=assignment)
    assert WhistleAssignment.objects.get().status == AssignmentStatus.ASSIGNED


# --- escalation ------------------------------------------------------------------------------


def test_beat_runs_the_whistle_scan_every_five_minutes():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "ecosystem.tasks.escalate_overdue_whistles"
    )
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert tasks.escalate_overdue_whistles.name == "ecosystem.tasks.escalate_overdue_whistles"


def test_a_whistle_not_acknowledged_in_time_escalates_by_itself(
    task_runner, world, chain, raise_whistle
):
    """Routed on Monday 2026-03-02 and never reported: the beat task (run now, long after the
    Tuesday-morning deadline; a real Celery worker on the PG+Redis run) escalates it to the chain
    committee, once, with a new deadline, an event and a message in the committee's inbox; the
    next runs climb the party tree."""
    whistle = raise_whistle()
    assert tasks.escalate_overdue_whistles.delay().get(timeout=60) == 1
    assignment = WhistleAssignment.objects.get()
    assert assignment.supervisor == chain.committee and assignment.escalations == 1
    assert assignment.status == AssignmentStatus.ASSIGNED
    event = WhistleEvent.objects.get(whistle=whistle, kind=WhistleEventKind.ESCALATE)
    assert event.actor is None and event.assignment == assignment
    message = InboxMessage.objects.get(kind=InboxKind.ESCALATED)
    assert message.recipient_organization == chain.committee
    assert whistle.reference in message.text
    # The new deadline is in the future of the scan: scanning again now escalates nothing.
    assert services.escalate_overdue_whistles() == 0
    # Past it: up to the comprehensive committee, then the working committee, then it stays.
    later = assignment.due_at + HOUR
    assert services.escalate_overdue_whistles(now=later) == 1
    assignment.refresh_from_db()
    assert assignment.supervisor == chain.general
    assert services.escalate_overdue_whistles(now=assignment.due_at + HOUR) == 1
    assignment.refresh_from_db()
    assert assignment.supervisor == world.working_committee
    assert services.escalate_overdue_whistles(now=assignment.due_at + HOUR) == 1
    assignment.refresh_from_db()
    assert assignment.supervisor == world.working_committee and assignment.escalations == 4


def test_not_yet_due_and_resolved_are_left_alone(world, chain, raise_whistle):
    assignment = raise_whistle().assignments.get()
    assert services.escalate_overdue_whistles(now=assignment.due_at - HOUR) == 0
    services.assignment_report(actor=world.staff, assignment=assignment, now=MONDAY_9 + HOUR)
    services.assignment_resolve(
        actor=world.staff, assignment=assignment, outcome="ok", now=MONDAY_9 + 2 * HOUR
    )
    assert services.escalate_overdue_whistles(now=MONDAY_9 + dt.timedelta(days=90)) == 0


def test_an_overdue_resolution_escalates_too(world, chain, raise_whistle):
    assignment = raise_whistle().assignments.get()
    services.assignment_report(actor=world.staff, assignment=assignment, now=MONDAY_9 + HOUR)
    assignment.refresh_from_db()
    # Financing: 15 working days to resolve.
    assert services.escalate_overdue_whistles(now=assignment.due_at - HOUR) == 0
    assert services.escalate_overdue_whistles(now=assignment.due_at + HOUR) == 1


# --- figures ---------------------------------------------------------------------------------


def test_statistics_from_hand_built_whistles(world, chain, raise_whistle):
    a = raise_whistle(title="贷款")
    b = raise_whistle(title="用地", category="land", departments=[chain.finance, chain.resources])
    raise_whistle(title="人才", category="talent", enterprise=chain.supplier, departments=[])
    for assignment, loan, talents in ((a.assignments.get(), "1000000.50", 3),):
        services.assignment_report(actor=world.staff, assignment=assignment, now=MONDAY_9)
        services.assignment_resolve(
            actor=world.staff,
            assignment=assignment,
            outcome="ok",
            loan_amount=loan,
            talents_introduced=talents,
            now=MONDAY_9 + HOUR,
        )
    now = MONDAY_9 + dt.timedelta(days=3)  # b's two assignments are past their report time
    stats = selectors.whistle_stats(world.staff, now=now)
    assert stats.totals == {
        "whistles": 3,
        "open": 2,
        "overdue": 1,
        "solved": 1,
        "loan_amount": Decimal("1000000.50"),
        "talents_introduced": 3,
        "approvals": 0,
    }
    by_chain = {r["name"]: r for r in stats.by_chain}
    assert by_chain[chain.chain.name]["whistles"] == 3
    by_department = {r["name"]: r for r in stats.by_department}
    assert by_department[str(chain.finance)]["assignments"] == 2
    assert by_department[str(chain.finance)]["overdue"] == 1
    assert by_department[str(chain.resources)]["overdue"] == 1
    assert stats.by_month == [{"month": "2026-03", "whistles": 3, "solved": 1}]
    # The chain secretary of the other chain sees none of it.
    assert selectors.whistle_stats(chain.other_secretary, now=now).totals["whistles"] == 0
    assert Decimal(b.assignments.count()) == 2
