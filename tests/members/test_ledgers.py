"""The three ledgers and the list of workers to verify: scope, filters, masked xlsx exports
with an access-log row, constant query counts."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.choices import PIIAction
from core.models import PIIAccessLog
from members.choices import CaseOrigin, CaseStatus, PoliticalStatus, ProposalStatus
from members.models import Case
from members.selectors import workers_to_verify
from members.services import cases
from tests import factories as f

from .two_finds_data import proposal

pytestmark = pytest.mark.django_db
S = CaseStatus
ID_PATTERN = re.compile(r"\d{17}[\dX]")
LEDGERS = ("members:baseline", "members:tasks", "members:progress", "members:to_verify")


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def found(world, people):
    """One case per committee, and a closed one."""
    delivery = cases.case_open(
        actor=world.staff,
        origin=CaseOrigin.MATCH,
        worker=people.worker_delivery,
        member=people.mobile_member,
    )
    express = cases.case_open(
        actor=world.staff,
        origin=CaseOrigin.MATCH,
        worker=people.worker_express,
        member=people.member_express,
    )
    return {"delivery": delivery, "express": express}


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {row["object"].pk for row in response.context["rows"]}


@pytest.mark.parametrize("ledger", ["members:baseline", "members:tasks", "members:progress"])
def test_each_secretary_sees_only_their_own_rows(client, world, found, ledger):
    client.force_login(world.secretary_delivery)
    assert listed(client.get(reverse(ledger))) == {found["delivery"].pk}
    client.force_login(world.secretary_express)
    response = client.get(reverse(ledger))
    assert listed(response) == {found["express"].pk}
    export = client.get(reverse(ledger), {"format": "xlsx"})
    rows = xlsx_rows(export)
    assert [r[0] for r in rows[1:]] == [f"#{found['express'].pk}"]
    client.force_login(world.staff)
    assert listed(client.get(reverse(ledger))) == {found["delivery"].pk, found["express"].pk}


@pytest.mark.parametrize("ledger", LEDGERS)
def test_exports_are_masked_and_logged(client, world, people, found, ledger):
    f.WorkerFactory(
        industry=world.delivery, region=world.street_a, political_status=PoliticalStatus.FULL
    )
    client.force_login(world.staff)
    response = client.get(reverse(ledger), {"format": "xlsx"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert len(rows) >= 2
    text = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    assert not ID_PATTERN.search(text)
    assert not re.search(r"1[3-9]\d{9}", text)
    log = PIIAccessLog.objects.get(action=PIIAction.EXPORT)
    assert log.actor == world.staff and log.row_count == len(rows) - 1
    # The page itself shows masked values only.
    assert not ID_PATTERN.search(client.get(reverse(ledger)).content.decode())


def test_baseline_lists_found_members_not_rejected_ones(client, world, people, found):
    rejected = cases.case_open(
        actor=world.staff,
        origin=CaseOrigin.MATCH,
        worker=people.worker_delivery_b,
        member=people.member_delivery,
    )
    cases.case_transition(actor=world.staff, case=rejected, to_status=S.REJECTED, note="否")
    client.force_login(world.staff)
    response = client.get(reverse("members:baseline"))
    assert listed(response) == {found["delivery"].pk, found["express"].pk}
    html = response.content.decode()
    assert people.mobile_member.name in html and "安徽省阜阳市某村党支部" in html
    by_origin = client.get(reverse("members:baseline"), {"origin": CaseOrigin.SELF_REPORT})
    assert listed(by_origin) == set()


def test_task_list_filters_and_highlights_overdue(client, world, found):
    late = found["delivery"]
    Case.objects.filter(pk=late.pk).update(due_on=dt.date(2020, 1, 1), owner=world.staff)
    client.force_login(world.staff)
    response = client.get(reverse("members:tasks"))
    rows = {row["object"].pk: row for row in response.context["rows"]}
    assert rows[late.pk]["overdue"] and not rows[found["express"].pk]["overdue"]
    assert "overdue-row" in response.content.decode()
    assert listed(client.get(reverse("members:tasks"), {"overdue": "true"})) == {late.pk}
    assert listed(client.get(reverse("members:tasks"), {"owner": world.staff.pk})) == {late.pk}
    assert listed(client.get(reverse("members:tasks"), {"industry": "express"})) == {
        found["express"].pk
    }
    assert listed(client.get(reverse("members:tasks"), {"region": world.street_a.code})) == {
        late.pk
    }
    # A closed case leaves the task list.
    cases.case_transition(actor=world.staff, case=found["express"], to_status=S.REJECTED, note="否")
    assert listed(client.get(reverse("members:tasks"))) == {late.pk}


def test_progress_list_has_the_date_of_each_status(client, world, found):
    case = found["delivery"]
    for status in (S.VERIFYING, S.CONTACTED):
        case = cases.case_transition(actor=world.staff, case=case, to_status=status)
    client.force_login(world.staff)
    response = client.get(reverse("members:progress"), {"format": "xlsx"})
    rows = xlsx_rows(response)
    header = list(rows[0])
    row = next(r for r in rows[1:] if r[0] == f"#{case.pk}")
    filled = {header[i] for i, value in enumerate(row) if isinstance(value, dt.date | dt.datetime)}
    labels = {str(S(s).label) for s in (S.DISCOVERED, S.VERIFYING, S.CONTACTED)}
    assert labels <= filled
    assert str(S.REPORTED.label) not in filled


def test_workers_to_verify(client, world, people):
    declared = people.worker_delivery  # declares full membership, matched to nobody
    matched = f.WorkerFactory(
        industry=world.delivery, region=world.street_a, political_status=PoliticalStatus.FULL
    )
    proposal(matched, people.member_delivery, status=ProposalStatus.CONFIRMED)
    with_case = f.WorkerFactory(
        industry=world.delivery,
        region=world.street_a,
        political_status=PoliticalStatus.PROBATIONARY,
    )
    cases.case_open(
        actor=world.staff, origin=CaseOrigin.MATCH, worker=with_case, member=people.mobile_member
    )
    f.WorkerFactory(
        industry=world.delivery,
        region=world.street_a,
        active=False,
        political_status=PoliticalStatus.FULL,
    )
    assert set(workers_to_verify(world.staff)) == {declared}
    assert set(workers_to_verify(world.secretary_express)) == set()
    client.force_login(world.secretary_delivery)
    assert listed(client.get(reverse("members:to_verify"))) == {declared.pk}


@pytest.mark.parametrize("ledger", LEDGERS)
def test_query_count_does_not_grow_with_rows(client, world, ledger, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            worker = f.WorkerFactory(
                industry=world.delivery,
                region=world.street_a,
                enterprise=world.ent_delivery_a,
                political_status=PoliticalStatus.FULL,
            )
            member = f.PartyMemberFactory(organization=world.branch_delivery, region=world.city)
            case = cases.case_open(
                actor=world.staff, origin=CaseOrigin.MATCH, worker=worker, member=member
            )
            cases.case_transition(actor=world.staff, case=case, to_status=S.VERIFYING)
            f.WorkerFactory(
                industry=world.delivery,
                region=world.street_a,
                enterprise=world.ent_delivery_a,
                political_status=PoliticalStatus.FULL,
            )

    client.force_login(world.secretary_delivery)
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(ledger)).status_code == 200
    add(12)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse(ledger))
    assert len(response.context["rows"]) >= 14


def test_the_nav_links_the_two_finds(client, world):
    client.force_login(world.secretary_delivery)
    html = client.get(reverse("members:baseline")).content.decode()
    for name in (*LEDGERS, "members:review"):
        assert reverse(name) in html
