"""The meeting's check-in roll page: the meeting's staff see the members expected there (the
mobile member it hosts too), record them present or on leave through the services (audited),
a leave without its reason is refused on the field with nothing written, another committee's
meeting answers 404, and the page reads in a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branchlife.choices import MeetingKind, ParticipationStatus
from branchlife.models import Participation
from core.models import AuditEvent
from organizations.choices import GrantKind
from tests import factories as f

from .helpers import meeting

pytestmark = pytest.mark.django_db


def _meeting(world):
    return meeting(
        world.branch_delivery,
        MeetingKind.THEME_DAY,
        when=timezone.now() - dt.timedelta(minutes=30),
        held=False,
    )


def _url(m) -> str:
    return f"/branchlife/meetings/{m.pk}/"


def test_roll_lists_expected_members_and_records_check_in(client, world, people):
    m = _meeting(world)
    client.force_login(world.secretary_delivery)
    page = client.get(_url(m))
    assert page.status_code == 200
    names = {p.name for p in page.context["members"]}
    assert names == {people.member_delivery.name, people.mobile_member.name}
    assert b'for="id_member"' in page.content and b'for="id_leave_reason"' in page.content
    assert b"style=" not in page.content and b"<script>" not in page.content

    response = client.post(_url(m), {"member": people.mobile_member.pk, "action": "present"})
    assert response.status_code == 302
    row = Participation.objects.get(meeting=m, member=people.mobile_member)
    assert row.status == ParticipationStatus.PRESENT and row.channel == "portal"
    assert AuditEvent.objects.filter(verb="check_in").exists()

    response = client.post(
        _url(m), {"member": people.member_delivery.pk, "action": "leave", "leave_reason": "送单"}
    )
    assert response.status_code == 302
    page = client.get(_url(m))
    assert (page.context["present"], page.context["on_leave"]) == (1, 1)
    text = page.content.decode()
    assert "送单" in text


def test_leave_without_reason_is_a_field_error_and_writes_nothing(client, world, people):
    m = _meeting(world)
    client.force_login(world.secretary_delivery)
    response = client.post(_url(m), {"member": people.member_delivery.pk, "action": "leave"})
    assert response.status_code == 200
    assert response.context["form"].errors["leave_reason"]
    assert not Participation.objects.exists()


def test_a_member_not_expected_is_refused(client, world, people):
    m = _meeting(world)
    client.force_login(world.secretary_delivery)
    response = client.post(_url(m), {"member": people.member_express.pk, "action": "present"})
    assert response.status_code == 200
    assert response.context["form"].errors["member"]
    assert not Participation.objects.exists()


def test_roll_is_scoped(client, world, people):
    m = _meeting(world)
    client.force_login(world.secretary_express)
    assert client.get(_url(m)).status_code == 404
    response = client.post(_url(m), {"member": people.member_delivery.pk, "action": "present"})
    assert response.status_code == 404
    assert not Participation.objects.exists()


def test_calendar_links_the_roll(client, world):
    m = _meeting(world)
    client.force_login(world.secretary_delivery)
    page = client.get(f"/branchlife/branches/{world.branch_delivery.pk}/")
    assert _url(m).encode() in page.content


def test_roll_queries_do_not_grow_with_members(client, world, people):
    m = _meeting(world)
    client.force_login(world.secretary_delivery)
    client.get(_url(m))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(m))
    for n in range(5):
        member = f.PartyMemberFactory(
            member_id=f"M-D-{n + 10}", name=f"成员{n}", organization=world.branch_delivery
        )
        Participation.objects.create(meeting=m, member=member, status="present")
    with CaptureQueriesContext(connection) as many:
        page = client.get(_url(m))
    assert len(page.context["members"]) == 7
    assert len(many) <= len(few)


def test_check_in_before_the_meeting_opens_is_refused(client, world, people):
    m = meeting(
        world.branch_delivery,
        MeetingKind.THEME_DAY,
        when=timezone.now() + dt.timedelta(days=3),
        held=False,
    )
    client.force_login(world.secretary_delivery)
    response = client.post(_url(m), {"member": people.member_delivery.pk, "action": "present"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Participation.objects.exists()


def test_a_district_officer_reads_the_roll_but_cannot_record(client, world, people):
    m = _meeting(world)
    f.grant(world.district_officer, GrantKind.REGION, region=world.district_a)
    client.force_login(world.district_officer)
    page = client.get(_url(m))
    assert page.status_code == 200
    assert page.context["form"] is None
    response = client.post(_url(m), {"member": people.member_delivery.pk, "action": "present"})
    assert response.status_code in (403, 404)
    assert not Participation.objects.exists()
