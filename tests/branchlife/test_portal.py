"""The portal pages: scoped (another committee's branch answers 404), the matrix, calendar,
dues and ledger hold the data's figures, exports leave an access-log row, the dashboard cards,
and the admin payment form writes through the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from branchlife import selectors, services
from branchlife.choices import MeetingKind
from branchlife.models import DuesPayment
from core.models import AuditEvent, PIIAccessLog
from tests import factories as f

from .helpers import at, meeting


def _pay(world, member, months, amount="40"):
    year = timezone.localdate().year
    return services.payment_record(
        actor=world.staff,
        member=member,
        months=[dt.date(year, m, 1) for m in months],
        amount=Decimal(amount),
        channel="cash",
    )


def test_pages_render_and_are_scoped(client, world, people):
    client.force_login(world.secretary_express)
    for url in ("/branchlife/", "/branchlife/dues/", "/branchlife/flags/", "/branchlife/terms/"):
        assert client.get(url).status_code == 200, url
    for url in (
        f"/branchlife/branches/{world.branch_delivery.pk}/",
        f"/branchlife/dues/{world.branch_delivery.pk}/",
        f"/branchlife/dues/?org={world.branch_delivery.pk}",
    ):
        assert client.get(url).status_code == 404, url
    matrix = client.get("/branchlife/")
    assert [r.organization for r in matrix.context["rows"]] == [world.branch_express]


def test_matrix_page_and_export(client, world):
    year = timezone.localdate().year
    meeting(world.branch_delivery, MeetingKind.COMMITTEE, when=at(year, 1))
    client.force_login(world.staff)
    page = client.get("/branchlife/", {"year": year})
    row = next(r for r in page.context["rows"] if r.organization == world.branch_delivery)
    assert (row.cells[0].held, row.cells[0].required) == (1, 3)
    export = client.get("/branchlife/", {"year": year, "format": "xlsx"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {world.branch_delivery.name, world.branch_express.name}
    assert PIIAccessLog.objects.filter(actor=world.staff).exists()


def test_matrix_queries_do_not_grow_with_branches(client, world, django_assert_max_num_queries):
    client.force_login(world.staff)
    client.get("/branchlife/")
    with CaptureQueriesContext(connection) as few:
        client.get("/branchlife/")
    baseline = len(few)
    assert baseline
    for n in range(6):
        f.PartyOrganizationFactory(
            code=f"br-x{n}",
            name=f"支部{n}",
            kind="branch",
            parent=world.committee_delivery,
            industry=world.delivery,
        )
    client.get("/branchlife/")  # the organization writes cleared the per-user cache
    with django_assert_max_num_queries(baseline):
        client.get("/branchlife/")


def test_dues_page_and_ledger(client, world, people):
    services.declaration_create(
        actor=world.staff,
        data={
            "member": people.member_delivery,
            "year": timezone.localdate().year,
            "monthly_income": Decimal("4000"),
        },
    )
    _pay(world, people.member_delivery, [1, 2], "80")
    client.force_login(world.secretary_delivery)
    page = client.get("/branchlife/dues/")
    rows = {r["organization"]: r["cells"] for r in page.context["rows"]}
    january = rows[world.committee_delivery][0]
    # The delivery branch holds member_delivery; the mobile member is hosted there (no local
    # relation): two members due, one paid.
    assert (january.due, january.paid, january.amount) == (2, 1, Decimal("40.00"))
    ledger = client.get(f"/branchlife/dues/{world.branch_delivery.pk}/")
    by_member = {m.pk: paid for m, paid in ledger.context["rows"]}
    assert by_member[people.member_delivery.pk][:3] == [True, True, False]
    export = client.get(f"/branchlife/dues/{world.branch_delivery.pk}/", {"format": "xlsx"})
    sheet = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert any(r[0] == people.member_delivery.member_id and r[3] for r in sheet[1:])


def test_calendar_and_flags(client, world, people):
    today = timezone.localdate()
    start, _end = selectors.window(today)
    for k in range(6):
        month = (start.month - 1 + k) % 12 + 1
        year = start.year + (start.month - 1 + k) // 12
        meeting(world.branch_delivery, when=at(year, month))
    client.force_login(world.secretary_delivery)
    page = client.get(f"/branchlife/branches/{world.branch_delivery.pk}/")
    assert people.member_delivery.pk in page.context["flagged"]
    flags = client.get("/branchlife/flags/")
    assert people.member_delivery in list(flags.context["absent"])


def test_dashboard_cards(client, world, people):
    client.force_login(world.staff)
    cards = {c["key"]: c for c in selectors.dashboard_figures(world.staff)}
    assert cards["dues_collection"]["denominator"] == 3  # two branch members and the mobile one
    response = client.get("/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_payment_form_goes_through_the_service(client, world, people):
    client.force_login(world.staff)
    url = "/admin/branchlife/duespayment/add/"
    data = {
        "member": people.member_delivery.pk,
        "amount": "30.00",
        "channel": "cash",
        "receipt_number": "R-9",
        "paid_on": "2026-03-01",
        "months": "2026-01, 2026-02",
        "months-TOTAL_FORMS": "0",
        "months-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    payment = DuesPayment.objects.get()
    assert payment.months.count() == 2
    assert AuditEvent.objects.filter(verb="pay").count() == 3
    again = client.post(url, data)
    assert again.status_code == 200 and DuesPayment.objects.count() == 1


def test_flags_never_show_an_empty_value_as_none(client, world, people):
    """A mobile member with no local relation is listed under the organization hosting them,
    never as "None" (the regression the words crawl caught for the city-wide user)."""
    today = timezone.localdate()
    start, _end = selectors.window(today)
    for k in range(6):
        month = (start.month - 1 + k) % 12 + 1
        year = start.year + (start.month - 1 + k) // 12
        meeting(world.branch_delivery, when=at(year, month))
    client.force_login(world.staff)
    page = client.get("/branchlife/flags/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert people.mobile_member in list(page.context["absent"])
    text = page.content.decode()
    assert "None" not in text
    assert text.count(world.branch_delivery.name) >= 2
