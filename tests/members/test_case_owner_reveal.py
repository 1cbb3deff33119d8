"""Open cases always have an owner (who answers for their region and industry); the task list
exports each case's owner and due date; on the case page a user with the reveal permission
reveals the found person's phone with a reason, written to the access log."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from core.choices import PIIAction
from core.models import PIIAccessLog
from members.choices import CaseOrigin, CaseStatus
from members.models import Case
from members.services import cases
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_case_opened_by_the_matching_job_gets_the_owner_of_its_place(world, people):
    # The worker works in district B: the district B officer answers for it.
    in_b = cases.case_open(actor=None, origin=CaseOrigin.MATCH, worker=people.worker_delivery_b)
    assert in_b.owner == world.district_officer
    # District A has no officer: the industry committee's secretary.
    in_a = cases.case_open(actor=None, origin=CaseOrigin.MATCH, worker=people.worker_express)
    assert in_a.owner == world.secretary_express
    # Named owners win.
    named = cases.case_open(
        actor=world.staff,
        origin=CaseOrigin.MATCH,
        worker=people.worker_delivery,
        owner=world.staff,
    )
    assert named.owner == world.staff


def test_cases_without_an_owner_are_filled_once(world, people):
    case = cases.case_open(actor=None, origin=CaseOrigin.MATCH, worker=people.worker_delivery_b)
    Case.objects.filter(pk=case.pk).update(owner=None)
    assert cases.cases_fill_owners(actor=None) == 1
    assert cases.cases_fill_owners(actor=None) == 0
    case.refresh_from_db()
    assert case.owner == world.district_officer


def test_the_task_list_export_carries_owner_and_due_date(client, world, people):
    case = cases.case_open(actor=None, origin=CaseOrigin.MATCH, worker=people.worker_delivery_b)
    client.force_login(world.staff)
    response = client.get("/members/ledgers/tasks/?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["责任人"] == world.district_officer.get_username()
    assert row["办理期限"].date() == case.due_on


@pytest.fixture
def found_case(world, people):
    member = people.member_delivery
    member.phone = "13912345678"
    member.save()
    return cases.case_open(
        actor=world.staff, origin=CaseOrigin.MATCH, worker=people.worker_delivery, member=member
    )


def test_reveal_the_phone_with_a_reason(client, world, found_case):
    client.force_login(world.staff)
    page = client.get(f"/members/cases/{found_case.pk}/")
    assert "13912345678" not in page.content.decode()
    assert f"/members/cases/{found_case.pk}/reveal-phone/" in page.content.decode()
    url = f"/members/cases/{found_case.pk}/reveal-phone/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert not PIIAccessLog.objects.filter(action=PIIAction.REVEAL).exists()
    shown = client.post(url, {"reason": "致电核实组织关系"})
    assert shown.status_code == 200
    assert 'href="tel:13912345678"' in shown.content.decode()
    log = PIIAccessLog.objects.get(action=PIIAction.REVEAL)
    assert log.actor == world.staff and "致电" in log.reason


def test_reveal_needs_the_permission_and_the_scope(client, world, found_case):
    url = f"/members/cases/{found_case.pk}/reveal-phone/"
    client.force_login(world.secretary_delivery)  # sees the case, may not reveal
    assert "reveal-phone" not in client.get(f"/members/cases/{found_case.pk}/").content.decode()
    assert client.post(url, {"reason": "x"}).status_code == 403
    outsider = f.UserFactory(username="staff_b", groups=["组织部工作人员"])
    f.grant(outsider, "region", region=world.district_b)
    client.force_login(outsider)
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert not PIIAccessLog.objects.exists()


def test_closed_statuses_need_no_owner(world, people):
    case = cases.case_open(actor=None, origin=CaseOrigin.MATCH, worker=people.worker_delivery_b)
    case = cases.case_transition(
        actor=world.staff, case=case, to_status=CaseStatus.REJECTED, note="不是同一人"
    )
    assert case.owner == world.district_officer  # kept, for the record
