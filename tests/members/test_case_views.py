"""The case page: timeline, masked person, only the allowed steps, field-level errors, scope."""

import re

import pytest
from django.urls import reverse

from members.choices import CaseOrigin, CaseStatus
from members.models import Case, CaseEvent
from members.services import cases

pytestmark = pytest.mark.django_db
S = CaseStatus
ID_PATTERN = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def case(world, people):
    return cases.case_open(
        actor=world.staff,
        origin=CaseOrigin.MATCH,
        worker=people.worker_delivery,
        member=people.mobile_member,
        note="匹配发现",
    )


def url(case):
    return reverse("members:case_detail", args=[case.pk])


def advance(case, actor, *statuses):
    for status in statuses:
        case = cases.case_transition(actor=actor, case=case, to_status=status)
    return case


def test_the_page_shows_the_timeline_masked_and_only_allowed_buttons(client, world, people, case):
    case = advance(case, world.staff, S.VERIFYING)
    client.force_login(world.secretary_delivery)
    response = client.get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert not ID_PATTERN.search(html)
    assert people.mobile_member.phone not in html and people.worker_delivery.phone not in html
    assert "匹配发现" in html and "staff" in html  # the note and the actor of the first event
    buttons = set(re.findall(r'name="to_status" value="([a-z_]+)"', html))
    assert buttons == {S.CONTACTED, S.REJECTED, S.LOST_CONTACT}


def test_a_step_through_the_page_writes_an_event(client, world, case):
    client.force_login(world.secretary_delivery)
    response = client.post(
        url(case),
        {"to_status": S.VERIFYING, "note": "已电话核实", "due_on": "2030-01-15"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.VERIFYING and str(case.due_on) == "2030-01-15"
    event = case.events.last()
    assert (event.from_status, event.to_status, event.note) == (
        S.DISCOVERED,
        S.VERIFYING,
        "已电话核实",
    )
    assert event.actor == world.secretary_delivery


@pytest.mark.parametrize("target", [S.ASSIGNED, S.TRANSFERRED, S.DISCOVERED, "nonsense"])
def test_an_illegal_step_is_refused_at_the_page(client, world, case, target):
    client.force_login(world.staff)
    response = client.post(url(case), {"to_status": target, "note": "跳步"})
    assert response.status_code == 400
    assert response.context["form"].errors["to_status"]
    assert 'role="alert"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == S.DISCOVERED and case.events.count() == 1


def test_rejecting_needs_a_note_shown_on_the_field(client, world, case):
    client.force_login(world.staff)
    response = client.post(url(case), {"to_status": S.REJECTED, "note": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    assert Case.objects.get(pk=case.pk).status == S.DISCOVERED


def test_placement_offers_and_accepts_only_branches_in_scope(client, world, people, case):
    case = advance(case, world.staff, S.VERIFYING, S.CONTACTED, S.REPORTED)
    client.force_login(world.secretary_delivery)
    page = client.get(url(case))
    choices = {o.pk for o in page.context["form"].fields["organization"].queryset}
    assert choices == {world.branch_delivery.pk}
    refused = client.post(
        url(case), {"to_status": S.ASSIGNED, "organization": world.branch_express.pk}
    )
    assert refused.status_code == 400 and refused.context["form"].errors["organization"]
    assert Case.objects.get(pk=case.pk).status == S.REPORTED
    placed = client.post(
        url(case),
        {
            "to_status": S.ASSIGNED,
            "organization": world.branch_delivery.pk,
            "owner": world.secretary_delivery.pk,
        },
    )
    assert placed.status_code == 302
    case.refresh_from_db()
    assert case.status == S.ASSIGNED and case.organization == world.branch_delivery
    assert case.owner == world.secretary_delivery


def test_a_case_outside_scope_is_404_and_cannot_be_moved(client, world, case):
    client.force_login(world.secretary_express)
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), {"to_status": S.VERIFYING}).status_code == 404
    assert client.get(reverse("members:case_detail", args=[999_999])).status_code == 404
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_a_closed_case_offers_no_step(client, world, case):
    case = cases.case_transition(actor=world.staff, case=case, to_status=S.REJECTED, note="否")
    client.force_login(world.staff)
    html = client.get(url(case)).content.decode()
    assert 'name="to_status"' not in html
