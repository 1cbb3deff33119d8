"""The portal pages of the assistance funds: scoped lists and exports, the fund page, the
staff forms with field errors, the totals page against the rows, and the dashboard figures."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from appeals.assistance import selectors
from appeals.assistance.choices import DisbursementPurpose, DisbursementStatus
from appeals.models import Disbursement
from core.models import PIIAccessLog
from organizations.figures import FigureFilter
from organizations.roles import DISTRICT_OFFICER
from tests import factories as f

from .helpers import give

LIST = "/appeals/assistance/"
TOTALS = "/appeals/assistance/totals/"


def _rows(response) -> list[tuple]:
    book = load_workbook(BytesIO(response.content), read_only=True)
    return list(book.active.iter_rows(values_only=True))


SCOPES = [
    ("staff", {"city", "delivery", "express"}),
    ("secretary_delivery", {"delivery"}),
    ("secretary_express", {"express"}),
    ("district_officer", set()),
]


@pytest.mark.parametrize(("username", "expected"), SCOPES)
def test_fund_list_and_export_are_scoped(client, world, people, funds, username, expected):
    give(world.staff, funds.delivery, worker=people.worker_delivery, amount="1200.50")
    names = {k: getattr(funds, k).name for k in ("city", "delivery", "express")}
    user = getattr(world, username)
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert {fund.name for fund in response.context["funds"]} == {names[k] for k in expected}
    export = client.get(LIST, {"format": "xlsx"})
    rows = _rows(export)
    assert {r[0] for r in rows[1:]} == {names[k] for k in expected}
    if "delivery" in expected:
        row = next(r for r in rows if r[0] == names["delivery"])
        assert row[4:9] == ("5000.00", "1200.50", "3799.50", 1, 1)
    assert PIIAccessLog.objects.get(actor=user).row_count == len(expected)


def test_fund_page_is_scoped_and_masks_beneficiaries(client, world, people, funds):
    give(world.staff, funds.delivery, worker=people.worker_delivery, amount="200.00")
    give(world.staff, funds.delivery, member=people.mobile_member, amount="300.00")
    client.force_login(world.secretary_express)
    assert client.get(f"{LIST}funds/{funds.delivery.pk}/").status_code == 404
    client.force_login(world.secretary_delivery)
    page = client.get(f"{LIST}funds/{funds.delivery.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "张*" in html and "孙*" in html
    for person in (people.worker_delivery, people.mobile_member):
        assert person.name not in html
        assert person.phone not in html and person.id_number not in html
    # The mobile member's industry comes from the host branch.
    assert "外卖送餐" in html
    assert page.context["remaining"] == Decimal("4500.00")
    export = client.get(f"{LIST}funds/{funds.delivery.pk}/", {"format": "xlsx"})
    rows = _rows(export)
    assert sorted(r[1] for r in rows[1:]) == ["孙*", "张*"]
    assert all(people.worker_delivery.phone not in str(c) for r in rows for c in r)


def test_fund_page_filters_paginates_with_constant_queries(client, world, people, funds):
    client.force_login(world.staff)
    url = f"{LIST}funds/{funds.city.pk}/"

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    give(world.staff, funds.city, worker=people.worker_delivery, amount="1.00")
    client.get(url)  # warm caches
    few = count_queries()
    beneficiaries = [
        {"worker": people.worker_express},
        {"member": people.member_delivery},
        {"member": people.mobile_member},
        {"worker": people.worker_delivery_b},
    ]
    for n in range(60):
        give(world.staff, funds.city, **beneficiaries[n % 4], amount="1.00", purpose="holiday")
    give(world.staff, funds.city, worker=people.worker_express, item=funds.tablets, quantity=3)
    assert count_queries() == few
    page = client.get(url)
    assert page.context["is_paginated"] and len(page.context["rows"]) == 50
    assert 'rel="next"' in page.content.decode()
    filtered = client.get(url, {"purpose": "holiday", "industry": "express"})
    assert len(filtered.context["rows"]) == 15
    assert client.get(url, {"in_kind": "true"}).context["paginator"].count == 1


def _form(fund, **kw):
    return {
        "worker_ref": "",
        "member_ref": "",
        "purpose": "medical",
        "amount": "",
        "disbursed_on": "2026-03-01",
        "appeal_reference": "",
        "note": "",
        **kw,
    }


def test_disbursement_form_records_and_refuses_with_field_errors(client, world, people, funds):
    client.force_login(world.secretary_delivery)
    url = f"{LIST}funds/{funds.delivery.pk}/disburse/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("worker_ref", "member_ref", "purpose", "amount", "disbursed_on"):
        assert f'for="id_{name}"' in html
    # Over the budget: an error on the amount field, nothing written.
    response = client.post(
        url, _form(funds.delivery, worker_ref="meituan:MT-0001", amount="5000.01")
    )
    assert response.status_code == 400
    assert "5,000.00" in response.context["form"].errors["amount"][0]
    # A worker outside the secretary's scope (the express courier) is not found.
    response = client.post(url, _form(funds.delivery, worker_ref="sf-express:SF-0001", amount="1"))
    assert "worker_ref" in response.context["form"].errors
    # Both beneficiaries: the service's error lands on a field.
    response = client.post(
        url, _form(funds.delivery, worker_ref="meituan:MT-0001", member_ref="M-D-01", amount="1")
    )
    assert "member_ref" in response.context["form"].errors
    assert not Disbursement.objects.exists()
    response = client.post(
        url, _form(funds.delivery, worker_ref="meituan:MT-0001", amount="88.80", note="住院")
    )
    assert response.status_code == 302
    row = Disbursement.objects.get()
    assert row.worker == people.worker_delivery and row.amount == Decimal("88.80")
    assert row.approver == world.secretary_delivery


def test_disbursement_form_in_kind(client, world, people, funds):
    client.force_login(world.staff)
    url = f"{LIST}funds/{funds.city.pk}/disburse/"
    data = _form(funds.city, member_ref="M-E-01", item=funds.tablets.pk, quantity="101")
    response = client.post(url, data)
    assert "quantity" in response.context["form"].errors
    response = client.post(url, {**data, "quantity": "2"})
    assert response.status_code == 302
    assert Disbursement.objects.get().quantity == 2


def test_disbursement_form_needs_the_add_permission(client, world, people, funds):
    viewer = f.UserFactory(username="viewer", groups=[DISTRICT_OFFICER])
    f.grant(viewer)  # city-wide, but a view-only role
    client.force_login(viewer)
    assert client.get(f"{LIST}funds/{funds.city.pk}/").status_code == 200
    assert client.get(f"{LIST}funds/{funds.city.pk}/disburse/").status_code == 403


def test_cancel_form(client, world, people, funds):
    row = give(world.staff, funds.delivery, worker=people.worker_delivery, amount="5000.00")
    url = f"{LIST}disbursements/{row.pk}/cancel/"
    client.force_login(world.secretary_express)
    assert client.get(url).status_code == 404
    client.force_login(world.secretary_delivery)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    assert client.post(url, {"reason": "重复录入"}).status_code == 302
    row.refresh_from_db()
    assert row.status == DisbursementStatus.CANCELLED
    page = client.get(f"{LIST}funds/{funds.delivery.pk}/")
    assert page.context["remaining"] == Decimal("5000.00")


def _spread(world, people, funds):
    """A mix of money and in-kind aid over purposes, industries and both kinds of person."""
    plan = [
        ("worker_delivery", "hardship", "1000.00"),
        ("worker_delivery_b", "medical", "2500.50"),
        ("worker_express", "accident", "800.25"),
        ("member_delivery", "holiday", "300.00"),
        ("member_express", "holiday", "300.00"),
        ("mobile_member", "education", "1200.00"),
        ("worker_express", "hardship", "99.99"),
    ]
    rows = []
    for who, purpose, amount in plan:
        key = "worker" if who.startswith("worker") else "member"
        rows.append(
            give(
                world.staff,
                funds.city,
                **{key: getattr(people, who)},
                amount=amount,
                purpose=purpose,
            )
        )
    rows.append(
        give(
            world.staff,
            funds.city,
            worker=people.worker_express,
            item=funds.tablets,
            quantity=5,
            purpose="medical",
        )
    )
    cancelled = give(world.staff, funds.city, worker=people.worker_delivery, amount="777.00")
    from appeals.assistance import services

    services.disbursement_cancel(actor=world.staff, disbursement=cancelled, reason="错发")
    give(world.staff, funds.express, worker=people.worker_express, amount="50.00")
    return rows


def test_totals_page_adds_up_to_the_rows(client, world, people, funds):
    _spread(world, people, funds)
    client.force_login(world.staff)
    page = client.get(TOTALS)
    assert page.status_code == 200
    given = Disbursement.objects.filter(status=DisbursementStatus.DISBURSED)
    money = sum((d.amount for d in given if d.amount is not None), Decimal("0"))
    ctx = page.context
    assert ctx["overall"].amount == money == Decimal("6250.74")
    assert ctx["overall"].count == given.count() == 9
    by_purpose = {r.key: r for r in ctx["by_purpose"]}
    assert set(by_purpose) == set(DisbursementPurpose.values)
    for purpose in DisbursementPurpose.values:
        rows = [d for d in given if d.purpose == purpose]
        assert by_purpose[purpose].amount == sum(
            (d.amount or Decimal("0") for d in rows), Decimal("0")
        )
        assert by_purpose[purpose].count == len(rows)
    assert sum(r.amount for r in ctx["by_purpose"]) == money
    by_industry = {r.key: r for r in ctx["by_industry"]}
    # delivery: two workers + the delivery member + the mobile member hosted by the branch
    assert by_industry["food_delivery"].amount == Decimal("5000.50")
    assert by_industry["food_delivery"].beneficiaries == 4
    assert by_industry["express"].amount == Decimal("1250.24")  # 800.25 + 99.99 + 300 + 50
    assert by_industry["express"].in_kind_count == 1
    assert sum(r.amount for r in ctx["by_industry"]) == money
    [tablets] = ctx["by_item"]
    assert (tablets.given, tablets.quantity_budget) == (5, 100)
    html = page.content.decode()
    assert 'id="chart-by-purpose"' in html and "echarts.min.js" in html
    assert 'value="6250.74"' in html


def test_totals_are_scoped_and_filtered(client, world, people, funds):
    _spread(world, people, funds)
    give(world.staff, funds.delivery, worker=people.worker_delivery, amount="10.00")
    client.force_login(world.secretary_delivery)
    page = client.get(TOTALS)
    assert page.context["overall"].amount == Decimal("10.00")
    client.force_login(world.staff)
    filtered = client.get(TOTALS, {"fund": funds.city.pk, "purpose": "holiday"})
    assert filtered.context["overall"].amount == Decimal("600.00")
    assert filtered.context["overall"].beneficiaries == 2


def test_totals_export(client, world, people, funds):
    _spread(world, people, funds)
    client.force_login(world.staff)
    response = client.get(TOTALS, {"format": "xlsx"})
    book = load_workbook(BytesIO(response.content), read_only=True)
    # Three sheets of totals, then "About this export" (who, when, which filters).
    assert len(book.sheetnames) == 4 and book.sheetnames[-1] == "导出说明"
    purpose_rows = list(book.worksheets[0].iter_rows(values_only=True))[1:]
    assert sum(Decimal(r[1]) for r in purpose_rows) == Decimal("6250.74")
    assert PIIAccessLog.objects.filter(actor=world.staff).exists()


def test_dashboard_figures(world, people, funds, django_assert_num_queries):
    _spread(world, people, funds)
    selectors.dashboard_figures(world.staff)  # warm the scope grants
    with django_assert_num_queries(2):
        cards = selectors.dashboard_figures(world.staff)
    by_key = {c["key"]: c for c in cards}
    assert by_key["assistance_disbursed"]["value"] == Decimal("6250.74")
    assert by_key["assistance_disbursed"]["denominator"] == Decimal("18000.00")
    assert by_key["assistance_beneficiaries"]["value"] == 6
    for card in cards:
        assert {"key", "title", "value", "denominator", "url", "note"} <= set(card)
    assert by_key["assistance_disbursed"]["rate_label"]  # its percentage is of the budget
    # Drilled to 钟楼区 on the dashboard: the money given to beneficiaries working there (the
    # one worker of district B: 2,500.50 medical), with no share of the city-wide budgets.
    district_b = {
        c["key"]: c
        for c in selectors.dashboard_figures(
            world.staff, where=FigureFilter(region=world.district_b)
        )
    }
    assert district_b["assistance_disbursed"]["value"] == Decimal("2500.50")
    assert district_b["assistance_disbursed"]["denominator"] is None
    assert district_b["assistance_beneficiaries"]["value"] == 1
    # By the beneficiary's industry: the express worker's 800.25 + 99.99 + 50.00 (and in-kind
    # aid), and the express member's 300.00.
    by_express = FigureFilter(industry=world.express)
    express = {c["key"]: c for c in selectors.dashboard_figures(world.staff, where=by_express)}
    assert express["assistance_disbursed"]["value"] == Decimal("1250.24")
    mine = {c["key"]: c for c in selectors.dashboard_figures(world.secretary_delivery)}
    assert mine["assistance_disbursed"]["value"] == Decimal("0.00")
    assert mine["assistance_disbursed"]["denominator"] == Decimal("5000.00")
