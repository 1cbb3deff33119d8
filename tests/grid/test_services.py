"""The grid's rules, through its services: every refusal is a field error with nothing
written; every step leaves an event; points move only through the ledger."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from core.models import AuditEvent
from grid import selectors, services
from grid.choices import ClaimStatus, EntryKind, EventKind, TaskStatus, VolunteerStatus
from grid.models import (
    Claim,
    PointsEntry,
    ProofPhoto,
    Redemption,
    RewardItem,
    Task,
    TaskEvent,
    Volunteer,
)

from .conftest import EAST, HERE, JPEG, PNG, publish


def refused(call, field):
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict, exc.value.message_dict
    return exc.value.message_dict[field][0]


def counts():
    return (
        Claim.objects.count(),
        TaskEvent.objects.count(),
        PointsEntry.objects.count(),
        Redemption.objects.count(),
    )


# --- volunteers -------------------------------------------------------------------------------


def test_register_uses_the_work_location_and_scope(world, people, grid):
    v = grid.v_delivery
    assert v.status == VolunteerStatus.ACTIVE
    assert v.cells.count() == 7  # the work cell and its ring
    assert v.account.balance == 0
    # the partner registers only its own platform's workers
    refused(
        lambda: services.volunteer_register(actor=world.partner, worker=people.worker_express),
        "worker",
    )
    refused(
        lambda: services.volunteer_register(actor=world.staff, worker=people.worker_delivery),
        "worker",
    )
    refused(
        lambda: services.volunteer_update(
            actor=world.staff, volunteer=v, data={"skills": ["juggling"]}
        ),
        "skills",
    )


def test_pause_resume_leave(world, grid):
    v = services.volunteer_pause(actor=world.staff, volunteer=grid.v_express)
    assert v.status == VolunteerStatus.PAUSED
    refused(lambda: services.volunteer_pause(actor=world.staff, volunteer=v), "status")
    services.volunteer_resume(actor=world.staff, volunteer=v)
    v = services.volunteer_leave(actor=world.staff, volunteer=v)
    assert v.status == VolunteerStatus.LEFT and v.left_at


# --- claiming -----------------------------------------------------------------------------------


def test_a_task_never_gets_more_volunteers_than_it_asked_for(world, grid):
    task = publish(world.staff, world, slots=1)
    claim = services.task_claim(actor=world.staff, task=task, volunteer=grid.v_delivery)
    assert claim.status == ClaimStatus.CLAIMED
    task.refresh_from_db()
    assert (task.filled, task.status) == (1, TaskStatus.CLAIMED)
    before = counts()
    msg = refused(
        lambda: services.task_claim(actor=world.staff, task=task, volunteer=grid.v_delivery_b),
        "task",
    )
    assert msg == gettext("This task is not open for claims.")
    assert counts() == before
    task.refresh_from_db()
    assert task.filled == 1
    assert list(task.events.values_list("kind", flat=True)) == [
        EventKind.PUBLISHED,
        EventKind.CLAIMED,
    ]


def test_overlapping_claims_beyond_the_setting_are_refused(world, grid, settings):
    first = publish(world.staff, world, slots=2)
    services.task_claim(actor=world.staff, task=first, volunteer=grid.v_delivery)
    overlapping = publish(world.staff, world, slots=2)
    before = counts()
    msg = refused(
        lambda: services.task_claim(actor=world.staff, task=overlapping, volunteer=grid.v_delivery),
        "task",
    )
    assert "1" in msg
    assert counts() == before
    later = publish(world.staff, world, start=timezone.now() + dt.timedelta(hours=5))
    services.task_claim(actor=world.staff, task=later, volunteer=grid.v_delivery)
    settings.GRID_MAX_OVERLAPPING_CLAIMS = 2
    services.task_claim(actor=world.staff, task=overlapping, volunteer=grid.v_delivery)
    grid.v_delivery.refresh_from_db()
    assert grid.v_delivery.load == 3


def test_paused_volunteer_and_double_claim_are_refused(world, grid):
    task = publish(world.staff, world, slots=3)
    services.task_claim(actor=world.staff, task=task, volunteer=grid.v_delivery)
    refused(
        lambda: services.task_claim(actor=world.staff, task=task, volunteer=grid.v_delivery),
        "task",
    )
    services.volunteer_pause(actor=world.staff, volunteer=grid.v_express)
    refused(
        lambda: services.task_claim(actor=world.staff, task=task, volunteer=grid.v_express),
        "volunteer",
    )


def test_partner_claims_only_for_its_workers(world, grid):
    task = publish(world.staff, world, slots=3)
    refused(
        lambda: services.task_claim(actor=world.partner, task=task, volunteer=grid.v_express),
        "volunteer",
    )
    claim = services.task_claim(actor=world.partner, task=task, volunteer=grid.v_delivery)
    assert claim.volunteer_id == grid.v_delivery.pk


# --- invitations --------------------------------------------------------------------------------


def test_invite_the_best_nearest_with_the_skill_and_not_overloaded(world, grid, settings):
    task = publish(world.staff, world, slots=2, skill="elderly_care")
    claims = services.task_invite_best(actor=world.staff, task=task, count=50)
    invited = {c.volunteer_id for c in claims}
    # the courier lacks the skill
    assert invited == {grid.v_delivery.pk, grid.v_delivery_b.pk}
    assert all(c.status == ClaimStatus.INVITED for c in claims)
    # each invitation: its claim stored under the key returned, one event by the actor, one
    # audit row
    stored = Claim.objects.filter(task=task)
    assert {(c.pk, c.volunteer_id) for c in stored} == {(c.pk, c.volunteer_id) for c in claims}
    events = TaskEvent.objects.filter(task=task, kind=EventKind.INVITED)
    assert sorted((e.claim_id, e.actor_id) for e in events) == sorted(
        (c.pk, world.staff.pk) for c in claims
    )
    audited = AuditEvent.objects.filter(verb="invite", object_id__in=[str(c.pk) for c in claims])
    assert audited.count() == len(claims)
    # nearest first: the rider whose cell holds the place comes first
    ranked = selectors.best_volunteers(publish(world.staff, world, skill="elderly_care"), 50)
    assert ranked[0][0] == grid.v_delivery.pk
    # overloaded volunteers are not invited
    settings.GRID_MAX_LOAD = 0
    assert selectors.best_volunteers(publish(world.staff, world), 50) == []
    settings.GRID_MAX_LOAD = 5
    # accept takes a place; decline does not
    services.claim_decline(
        actor=world.partner,
        claim=claims[0] if claims[0].volunteer_id == grid.v_delivery.pk else claims[1],
    )
    other = Claim.objects.get(task=task, volunteer=grid.v_delivery_b)
    accepted = services.claim_accept(actor=world.staff, claim=other)
    assert accepted.status == ClaimStatus.CLAIMED
    refused(lambda: services.claim_accept(actor=world.staff, claim=other), "status")
    mine = Claim.objects.get(task=task, volunteer=grid.v_delivery)
    refused(lambda: services.claim_accept(actor=world.partner, claim=mine), "status")
    kinds = set(task.events.values_list("kind", flat=True))
    assert {EventKind.INVITED, EventKind.DECLINED, EventKind.ACCEPTED} <= kinds


def test_invite_named_volunteers_out_of_scope_is_refused(world, grid):
    task = publish(world.staff, world, slots=2)
    before = counts()
    refused(
        lambda: services.task_invite(
            actor=world.secretary_delivery, task=task, volunteers=[grid.v_express.pk]
        ),
        "volunteers",
    )
    assert counts() == before


# --- proof, verification, points ------------------------------------------------------------------


def test_proof_checks(world, grid, settings):
    task = publish(world.staff, world, proof_code=True, beneficiary_code="4321")
    claim = services.task_claim(actor=world.staff, task=task, volunteer=grid.v_delivery)
    before = counts()
    refused(
        lambda: services.proof_submit(
            actor=world.partner, claim=claim, lat=HERE[0], lng=HERE[1], code="4321"
        ),
        "photo",
    )
    refused(
        lambda: services.proof_submit(
            actor=world.partner,
            claim=claim,
            lat=HERE[0],
            lng=HERE[1],
            code="4321",
            photo=b"GIF89a" + b"\x00" * 50,
        ),
        "photo",
    )
    settings.GRID_PROOF_PHOTO_MAX_BYTES = 100
    refused(
        lambda: services.proof_submit(
            actor=world.partner, claim=claim, lat=HERE[0], lng=HERE[1], code="4321", photo=JPEG
        ),
        "photo",
    )
    settings.GRID_PROOF_PHOTO_MAX_BYTES = 5_000_000
    refused(
        lambda: services.proof_submit(actor=world.partner, claim=claim, photo=JPEG, code="4321"),
        "lat",
    )
    refused(
        lambda: services.proof_submit(
            actor=world.partner, claim=claim, lat=HERE[0], lng=HERE[1], photo=JPEG
        ),
        "code",
    )
    refused(
        lambda: services.proof_submit(
            actor=world.partner,
            claim=claim,
            lat=HERE[0],
            lng=HERE[1],
            code="4321",
            photo=JPEG,
            at=timezone.now() + dt.timedelta(hours=1),
        ),
        "at",
    )
    assert counts() == before and not ProofPhoto.objects.exists()
    # far away and after the window: accepted, flagged; a wrong code is shown to the verifier
    late = task.ends_at + dt.timedelta(hours=2)
    task.ends_at = timezone.now() + dt.timedelta(hours=4)
    claim = services.proof_submit(
        actor=world.partner,
        claim=claim,
        lat=EAST[0],
        lng=EAST[1],
        code="0000",
        photo=PNG,
        at=min(late, timezone.now()),
    )
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.flag_too_far and claim.distance_m > 500
    assert claim.code_matches is False
    assert ProofPhoto.objects.get(claim=claim).content_type == "image/png"
    queue = list(selectors.verification_queue(world.staff))
    assert queue == [claim]


def _submitted(world, grid, points=10, volunteer=None):
    task = publish(
        world.staff, world, points=points, start=timezone.now() - dt.timedelta(minutes=30)
    )
    claim = services.task_claim(
        actor=world.staff, task=task, volunteer=volunteer or grid.v_delivery
    )
    return services.proof_submit(
        actor=world.partner if volunteer is None else world.staff,
        claim=claim,
        lat=HERE[0],
        lng=HERE[1],
        photo=JPEG,
    )


def test_verify_awards_points_once_and_return_asks_again(world, grid):
    claim = _submitted(world, grid, points=30)
    assert not claim.flagged
    returned = services.claim_return(actor=world.staff, claim=claim, reason="照片看不清")
    assert returned.status == ClaimStatus.RETURNED
    refused(lambda: services.claim_verify(actor=world.staff, claim=claim), "status")
    refused(lambda: services.claim_return(actor=world.staff, claim=claim, reason=""), "reason")
    services.proof_submit(actor=world.partner, claim=claim, lat=HERE[0], lng=HERE[1], photo=JPEG)
    verified = services.claim_verify(actor=world.staff, claim=claim)
    assert verified.status == ClaimStatus.VERIFIED
    refused(lambda: services.claim_verify(actor=world.staff, claim=claim), "status")
    account = grid.v_delivery.account
    account.refresh_from_db()
    assert (account.balance, account.earned_total) == (30, 30)
    entry = PointsEntry.objects.get(claim=claim)
    assert (entry.kind, entry.points, entry.balance_after) == (EntryKind.EARNED, 30, 30)
    task = Task.objects.get(pk=claim.task_id)
    assert task.status == TaskStatus.DONE
    grid.v_delivery.refresh_from_db()
    assert grid.v_delivery.load == 0
    assert list(task.events.values_list("kind", flat=True)) == [
        "published",
        "claimed",
        "submitted",
        "returned",
        "submitted",
        "verified",
    ]


def test_verifier_outside_the_tasks_scope_is_refused(world, grid):
    claim = _submitted(world, grid)
    before = counts()
    refused(lambda: services.claim_verify(actor=world.district_officer, claim=claim), "claim")
    assert counts() == before


def test_redeem_decrements_stock_and_never_overdraws(world, grid):
    claim = _submitted(world, grid, points=25)
    services.claim_verify(actor=world.staff, claim=claim)
    water = services.reward_create(
        actor=world.staff, data={"station": grid.station, "name": "矿泉水", "cost": 10, "stock": 1}
    )
    charge = services.reward_create(
        actor=world.staff, data={"station": grid.station, "name": "充电", "cost": 20, "stock": 0}
    )
    redemption = services.reward_redeem(actor=world.staff, volunteer=grid.v_delivery, item=water)
    assert redemption.points == 10
    water.refresh_from_db()
    assert water.stock == 0
    before = counts()
    msg = refused(
        lambda: services.reward_redeem(actor=world.staff, volunteer=grid.v_delivery, item=water),
        "item",
    )
    assert msg == gettext("This reward is out of stock.")
    refused(
        lambda: services.reward_redeem(actor=world.staff, volunteer=grid.v_delivery, item=charge),
        "item",
    )
    services.reward_update(actor=world.staff, reward=charge, data={"stock": 5})
    before = counts()
    refused(
        lambda: services.reward_redeem(
            actor=world.staff, volunteer=grid.v_delivery, item=charge, quantity=1
        ),
        "points",
    )
    assert counts() == before
    charge.refresh_from_db()
    assert charge.stock == 5
    account = grid.v_delivery.account
    account.refresh_from_db()
    assert account.balance == 15
    kinds = list(selectors.statement(grid.v_delivery).values_list("kind", "points"))
    assert kinds == [(EntryKind.REDEEMED, -10), (EntryKind.EARNED, 25)]


def test_adjustment_never_below_zero(world, grid):
    services.points_adjust(actor=world.staff, volunteer=grid.v_express, points=5, reason="补录")
    before = counts()
    refused(
        lambda: services.points_adjust(
            actor=world.staff, volunteer=grid.v_express, points=-6, reason="更正"
        ),
        "points",
    )
    refused(
        lambda: services.points_adjust(
            actor=world.staff, volunteer=grid.v_express, points=-1, reason=""
        ),
        "reason",
    )
    assert counts() == before
    refused(
        lambda: services.points_adjust(
            actor=world.secretary_express, volunteer=grid.v_delivery, points=5, reason="x"
        ),
        "volunteer",
    )


def test_yearly_expiry_takes_old_unspent_points(world, grid, settings):
    settings.GRID_POINTS_EXPIRY_YEARS = 1
    services.points_adjust(actor=world.staff, volunteer=grid.v_express, points=50, reason="旧积分")
    PointsEntry.objects.update(at=timezone.now() - dt.timedelta(days=800))
    services.points_adjust(actor=world.staff, volunteer=grid.v_express, points=-20, reason="兑换")
    services.points_adjust(actor=world.staff, volunteer=grid.v_express, points=7, reason="新积分")
    assert services.points_expire() == 30
    account = grid.v_express.account
    account.refresh_from_db()
    assert account.balance == 7
    assert services.points_expire() == 0


# --- state transitions ------------------------------------------------------------------------


def test_cancel_and_expire(world, grid):
    task = publish(world.staff, world, slots=2)
    claim = services.task_claim(actor=world.staff, task=task, volunteer=grid.v_delivery)
    refused(lambda: services.task_cancel(actor=world.staff, task=task, reason=" "), "reason")
    services.task_cancel(actor=world.staff, task=task, reason="天气原因")
    claim.refresh_from_db()
    task.refresh_from_db()
    assert (task.status, claim.status) == (TaskStatus.CANCELLED, ClaimStatus.CANCELLED)
    grid.v_delivery.refresh_from_db()
    assert grid.v_delivery.load == 0
    refused(lambda: services.task_cancel(actor=world.staff, task=task, reason="x"), "status")
    refused(
        lambda: services.task_claim(actor=world.staff, task=task, volunteer=grid.v_express), "task"
    )
    refused(
        lambda: services.proof_submit(
            actor=world.staff, claim=claim, lat=HERE[0], lng=HERE[1], photo=JPEG
        ),
        "status",
    )

    old = publish(world.staff, world, start=timezone.now() - dt.timedelta(hours=6), hours=2)
    Task.objects.filter(pk=old.pk).update(status=TaskStatus.OPEN)
    assert services.tasks_expire() == 1
    old.refresh_from_db()
    assert old.status == TaskStatus.EXPIRED
    assert old.events.filter(kind=EventKind.EXPIRED).exists()


def test_publish_refuses_bad_input_and_out_of_scope(world):
    before = Task.objects.count()
    refused(lambda: publish(world.staff, world, at=(95.0, 119.0)), "lat")
    refused(lambda: publish(world.staff, world, hours=-1), "ends_at")
    refused(lambda: publish(world.staff, world, proof_code=True), "beneficiary_code")
    refused(lambda: publish(world.district_officer, world, organization=None), "region")
    assert Task.objects.count() == before


def test_campaign_publish_and_close(world, grid):
    campaign = services.campaign_open(
        actor=world.staff,
        data={"name": "守望相助·寒潮", "region": world.city, "target_volunteers": 5000},
    )
    start = timezone.now() - dt.timedelta(minutes=10)
    row = {
        "title": "寒潮送温暖",
        "place": "天宁某小区",
        "lat": HERE[0],
        "lng": HERE[1],
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=6),
        "slots": 2,
        "points": 20,
        "region": world.street_a.code,
    }
    created, errors = services.campaign_publish_tasks(
        actor=world.staff,
        campaign=campaign,
        rows=[
            row,
            {**row, "lat": "abc"},
            {**row, "region": "999999"},
            {**row, "slots": 0},
            {**row},
        ],
    )
    assert len(created) == 2
    assert [(e["row"], e["field"]) for e in errors] == [(2, "lat"), (3, "region"), (4, "slots")]
    services.task_claim(actor=world.staff, task=created[0], volunteer=grid.v_delivery)
    figures = selectors.campaign_figures(campaign)
    assert (figures["tasks"], figures["volunteers"]) == (2, 1)
    assert figures["districts"] == [{"name": "天宁区", "tasks": 2, "done": 0, "volunteers": 1}]
    closed = services.campaign_close(actor=world.staff, campaign=campaign)
    assert closed.status == "closed" and closed.report["volunteers"] == 1
    assert Task.objects.get(pk=created[1].pk).status == TaskStatus.CANCELLED
    refused(lambda: services.campaign_close(actor=world.staff, campaign=closed), "status")


def test_tasks_near_uses_the_ring_and_orders_by_distance(world, grid):
    near = publish(world.staff, world, at=(HERE[0] + 0.002, HERE[1]))
    here = publish(world.staff, world, at=HERE)
    publish(world.staff, world, at=(HERE[0] + 0.2, HERE[1]))  # ~22 km away
    rows = selectors.tasks_near(lat=HERE[0], lng=HERE[1], radius_m=3000)
    assert [r["id"] for r in rows] == [here.pk, near.pk]
    assert rows[0]["distance_m"] == 0 and 200 < rows[1]["distance_m"] < 250


def test_volunteer_scope(world, grid):
    assert set(selectors.volunteers_for(world.partner)) == {grid.v_delivery}
    assert grid.v_express not in set(selectors.volunteers_for(world.secretary_delivery))
    assert Volunteer.objects.count() == 3
    assert RewardItem.objects.count() == 0


def test_tasks_near_widens_until_sure_and_matches_brute_force(world):
    import random

    from grid import geo

    rng = random.Random(5)
    start = timezone.now() - dt.timedelta(hours=1)
    for i in range(300):
        lat = HERE[0] + rng.gauss(0, 0.01) * (3 if i % 3 else 0.3)
        lng = HERE[1] + rng.gauss(0, 0.01) * (3 if i % 3 else 0.3)
        Task.objects.create(
            kind="patrol",
            title=f"t{i}",
            region=world.street_a,
            place="x",
            lat=lat,
            lng=lng,
            cell=geo.task_cell(lat, lng),
            starts_at=start,
            # some have ended (not yet expired by the scan), some are no longer open
            ends_at=start + dt.timedelta(minutes=30 if i % 7 == 0 else 300),
            status=TaskStatus.CANCELLED if i % 11 == 0 else TaskStatus.OPEN,
            skill="first_aid" if i % 5 == 0 else "",
        )
    now = timezone.now()
    for n in range(12):
        lat, lng = HERE[0] + rng.gauss(0, 0.02), HERE[1] + rng.gauss(0, 0.02)
        skill = "first_aid" if n % 3 == 0 else ""
        got = [
            r["id"]
            for r in selectors.tasks_near(lat=lat, lng=lng, radius_m=2000, limit=20, skill=skill)
        ]
        brute = sorted(
            (geo.distance_m(lat, lng, t.lat, t.lng), t.pk)
            for t in Task.objects.filter(status=TaskStatus.OPEN, ends_at__gt=now)
            if not skill or t.skill in ("", skill)
        )
        want = [pk for d, pk in brute if d <= 2000][:20]
        assert got == want, [(d, pk) for d, pk in brute if d <= 2000][15:22]
