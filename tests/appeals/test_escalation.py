"""SLA escalation by the periodic scan: one level up, an event and an inbox message, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals import services, tasks
from appeals.choices import EventKind, InboxKind, Level, Status
from appeals.models import Appeal, AppealEvent, InboxMessage

from .conftest import MONDAY_9

HOUR = dt.timedelta(hours=1)


def test_beat_runs_the_scan_every_five_minutes():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values()]
    entry = next(e for e in entries if e["task"] == "appeals.tasks.escalate_overdue")
    schedule = entry["schedule"]
    assert schedule.minute == set(range(0, 60, 5))
    assert tasks.escalate_overdue.name == "appeals.tasks.escalate_overdue"


@pytest.fixture
def overdue(world, file_appeal):
    """Dispatched to the delivery branch on Monday 10:00; signing is due 8 working hours later
    (Tuesday 09:00)."""
    appeal = file_appeal()
    return services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.branch_delivery, now=MONDAY_9 + HOUR
    )


@pytest.mark.django_db
def test_scanning_twice_escalates_once(world, overdue, django_capture_on_commit_callbacks):
    later = overdue.due_at + HOUR
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(now=later) == 1
        assert services.escalate_overdue(now=later) == 0
        assert services.escalate_overdue(now=later + dt.timedelta(minutes=5)) == 0
    appeal = Appeal.objects.get(pk=overdue.pk)
    assert appeal.assigned_organization == world.committee_delivery
    assert appeal.level == Level.INDUSTRY_COMMITTEE
    assert appeal.status == Status.DISPATCHED and appeal.escalations == 1
    assert appeal.due_at > later  # the new level has its own time to sign
    event = AppealEvent.objects.get(appeal=appeal, kind=EventKind.ESCALATE)
    assert (event.from_level, event.to_level) == (Level.PARTY_BRANCH, Level.INDUSTRY_COMMITTEE)
    assert event.actor is None and event.organization == world.committee_delivery
    message = InboxMessage.objects.get(kind=InboxKind.ESCALATED)
    assert message.recipient_organization == world.committee_delivery


@pytest.mark.django_db
def test_not_yet_due_is_left_alone(world, overdue):
    assert services.escalate_overdue(now=overdue.due_at - dt.timedelta(minutes=1)) == 0
    overdue.refresh_from_db()
    assert overdue.escalations == 0 and overdue.level == Level.PARTY_BRANCH


@pytest.mark.django_db
def test_overdue_again_climbs_to_the_top_then_reminds(world, overdue):
    first = overdue.due_at + HOUR
    assert services.escalate_overdue(now=first) == 1
    second = Appeal.objects.get(pk=overdue.pk).due_at + HOUR
    assert services.escalate_overdue(now=second) == 1
    appeal = Appeal.objects.get(pk=overdue.pk)
    assert appeal.assigned_organization == world.working_committee
    assert appeal.level == Level.ORGANIZATION_DEPARTMENT
    third = appeal.due_at + HOUR
    assert services.escalate_overdue(now=third) == 1
    appeal.refresh_from_db()
    assert appeal.assigned_organization == world.working_committee
    assert appeal.escalations == 3


@pytest.mark.django_db
def test_an_undispatched_appeal_goes_to_its_industry_committee(world, file_appeal):
    appeal = file_appeal()
    assert services.escalate_overdue(now=appeal.due_at + HOUR) == 1
    appeal.refresh_from_db()
    assert appeal.assigned_organization == world.committee_delivery
    assert appeal.status == Status.DISPATCHED


@pytest.mark.django_db
def test_replied_and_closed_appeals_are_not_escalated(world, overdue):
    appeal = services.appeal_sign(actor=world.staff, appeal=overdue, now=MONDAY_9 + 2 * HOUR)
    appeal = services.appeal_reply(actor=world.staff, appeal=appeal, reply="答复")
    assert services.escalate_overdue(now=MONDAY_9 + dt.timedelta(days=60)) == 0


@pytest.mark.django_db
def test_the_scan_finds_due_appeals_with_one_query(world, file_appeal):
    for _ in range(3):
        file_appeal()
    with CaptureQueriesContext(connection) as queries:
        services.escalate_overdue(now=MONDAY_9)  # nothing due yet
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert "due_at" in sql


@pytest.mark.django_db
def test_a_stale_claim_does_not_escalate(world, overdue):
    """Another worker escalated between our read and our update: the conditional UPDATE
    matches nothing and we write nothing."""
    later = overdue.due_at + HOUR
    assert services.appeal_escalate(appeal_id=overdue.pk, now=later) is True
    events = AppealEvent.objects.count()
    assert services.appeal_escalate(appeal_id=overdue.pk, now=later) is False
    assert AppealEvent.objects.count() == events


def test_the_scan_on_a_real_worker(task_runner, world, catalogues):
    """The beat task on the PG+Redis run goes through a real Celery worker (eager on SQLite);
    sending it twice escalates once."""
    appeal = services.appeal_create(
        actor=world.staff,
        data={
            "category": catalogues["wages"],
            "channel": "station",
            "description": "扣款",
            "industry": world.delivery,
            "region": world.street_a,
        },
        now=MONDAY_9,
    )
    appeal = services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.branch_delivery, now=MONDAY_9
    )
    assert tasks.escalate_overdue.delay().get(timeout=60) == 1
    assert tasks.escalate_overdue.delay().get(timeout=60) == 0
    appeal.refresh_from_db()
    assert appeal.assigned_organization == world.committee_delivery
    assert AppealEvent.objects.filter(appeal=appeal, kind=EventKind.ESCALATE).count() == 1
    assert InboxMessage.objects.filter(appeal=appeal, kind=InboxKind.ESCALATED).count() == 1


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="concurrent transactions need PostgreSQL",
)
def test_two_concurrent_scans_escalate_once(transactional_db, world, catalogues):
    """Two workers scanning at the same moment: the row lock makes the second wait and then
    find the appeal no longer due."""
    import threading

    from django.db import connection as default_connection

    appeal = services.appeal_create(
        actor=world.staff,
        data={
            "category": catalogues["wages"],
            "channel": "station",
            "description": "扣款",
            "industry": world.delivery,
            "region": world.street_a,
        },
        now=MONDAY_9,
    )
    later = appeal.due_at + HOUR
    barrier = threading.Barrier(2)
    results = []

    def scan():
        try:
            barrier.wait()
            results.append(services.escalate_overdue(now=later))
        finally:
            default_connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert AppealEvent.objects.filter(appeal=appeal, kind=EventKind.ESCALATE).count() == 1
