"""Party members are located (their region) where the organization hosting them is, else the
one holding their relation, else their work region; district officers see the members located
in their district, and a page links a learner only if the viewer may open their record."""

from __future__ import annotations

import pytest

from members.models import PartyMember
from members.services.intake import member_roster_upsert
from members.services.people import letter_create, letter_issue, letter_receive, member_create
from organizations import scoping
from organizations.services import organization_update
from tests import factories as f

pytestmark = pytest.mark.django_db


def _region(member) -> str | None:
    code = PartyMember.objects.filter(pk=member.pk).values_list("region__code", flat=True).get()
    return code


def test_members_are_located_where_their_organization_is(world, people):
    assert _region(people.member_delivery) == world.district_a.code  # held by the branch
    assert _region(people.mobile_member) == world.district_a.code  # hosted by the branch


def test_without_an_organization_the_work_region_stays(world):
    member = member_create(
        actor=world.staff,
        data={
            "member_id": "M-W-01",
            "name": "周红",
            "is_mobile": True,
            "home_organization_name": "外省某党支部",
            "region": world.district_b,
        },
    )
    assert _region(member) == world.district_b.code
    visible = scoping.visible(PartyMember, world.district_officer)
    assert visible.filter(pk=member.pk).exists()


def test_the_district_officer_sees_the_members_of_their_district(world, people):
    branch_b = f.PartyOrganizationFactory(
        code="br-b", name="钟楼外卖党支部", region=world.district_b, parent=world.committee_delivery
    )
    member = f.PartyMemberFactory(member_id="M-B-01", name="吴敏", organization=branch_b)
    seen = set(scoping.visible(PartyMember, world.district_officer).values_list("pk", flat=True))
    assert seen == {member.pk}


def test_hosting_moves_the_member_and_the_organization_moving_moves_its_members(world, people):
    branch_b = f.PartyOrganizationFactory(
        code="br-b", name="钟楼外卖党支部", region=world.district_b, parent=world.committee_delivery
    )
    member = people.member_express
    member.host_organization = branch_b
    member.save(update_fields=["host_organization"])
    assert _region(member) == world.district_b.code
    organization_update(actor=world.staff, organization=branch_b, data={"region": world.street_a})
    assert _region(member) == world.street_a.code
    assert _region(people.member_delivery) == world.district_a.code  # not located by branch_b


def test_a_received_letter_moves_the_member(world, people):
    branch_b = f.PartyOrganizationFactory(
        code="br-b", name="钟楼外卖党支部", region=world.district_b, parent=world.committee_delivery
    )
    letter = letter_create(
        actor=world.staff,
        data={
            "member": people.member_express,
            "from_organization_name": "快递联合党支部",
            "to_organization": branch_b,
        },
    )
    import datetime as dt

    from django.utils import timezone

    letter = letter_issue(
        actor=world.staff,
        letter=letter,
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    letter_receive(actor=world.staff, letter=letter)
    assert _region(people.member_express) == world.district_b.code


def test_the_member_roster_locates_members_by_their_organization(world):
    f.PartyOrganizationFactory(
        code="br-b", name="钟楼外卖党支部", region=world.district_b, parent=world.committee_delivery
    )
    member_roster_upsert(
        actor=world.staff,
        rows=[
            {"member_id": "R-1", "name": "冯刚", "organization_code": "br-b"},
            {"member_id": "R-2", "name": "陈静", "organization_code": "br-delivery"},
        ],
    )
    regions = dict(PartyMember.objects.values_list("member_id", "region__code"))
    assert regions == {"R-1": world.district_b.code, "R-2": world.district_a.code}
    # The same roster moving R-1 moves its region too.
    member_roster_upsert(
        actor=world.staff,
        rows=[{"member_id": "R-1", "name": "冯刚", "organization_code": "br-delivery"}],
    )
    assert PartyMember.objects.get(member_id="R-1").region == world.district_a


def test_a_class_lists_as_links_only_the_learners_the_viewer_may_open(client, world, people):
    from training.models import Enrollment, TrainingClass

    training_class = TrainingClass.objects.create(
        name="钟楼安全培训班",
        organizer=world.committee_express,
        region=world.district_b,
        starts_on="2026-01-01",
        ends_on="2026-01-02",
        capacity=10,
    )
    for worker in (people.worker_delivery_b, people.worker_express):
        Enrollment.objects.create(training_class=training_class, worker=worker)
    client.force_login(world.district_officer)
    page = client.get(f"/training/classes/{training_class.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    own = f"/training/records/workers/{people.worker_delivery_b.pk}/"
    other = f"/training/records/workers/{people.worker_express.pk}/"
    assert own in html and other not in html
    assert people.worker_express.name in html  # listed, as text
    assert client.get(other).status_code == 404
    assert client.get(own).status_code == 200


def test_the_migration_locates_existing_members(world, people):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("members.migrations.0005_work_member_region")
    PartyMember.objects.update(region=None)
    unplaced = member_create(
        actor=world.staff,
        data={
            "member_id": "M-W-02",
            "name": "郑伟",
            "is_mobile": True,
            "home_organization_name": "外省某党支部",
            "region": world.district_b,
        },
    )
    migration.locate(apps, None)
    assert _region(people.member_delivery) == world.district_a.code
    assert _region(people.mobile_member) == world.district_a.code
    assert _region(unplaced) == world.district_b.code
