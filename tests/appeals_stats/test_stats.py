"""The statistics of appeals against data worked out by hand (see ``known`` in conftest)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from appeals import services
from appeals.choices import Level, Status
from appeals.stats import selectors as stats
from appeals.stats.selectors import StatsFilter
from core.choices import PIIAction
from core.models import PIIAccessLog
from tests.appeals.conftest import MONDAY_9

pytestmark = pytest.mark.django_db

URL = "/appeals/stats/"
H = dt.timedelta(hours=1)


def test_the_known_appeals_are_where_the_fixture_says(known):
    assert known.a1.status == Status.ARCHIVED
    assert known.a2.status == Status.DISPATCHED and known.a2.satisfaction == 2
    assert known.a3.status == Status.DISPATCHED
    assert known.a4.duplicate_of == known.a1


def test_volumes(world, known):
    figures = stats.appeal_stats(world.staff)
    by_category = {r["code"]: r["count"] for r in figures.by_category}
    assert by_category == {"wages": 3, "account_ban": 1}
    assert figures.by_category[0]["code"] == "wages"
    by_platform = {r["name"]: r["count"] for r in figures.by_platform}
    assert by_platform == {"美团": 2, None: 2}
    assert figures.by_month == [
        {"month": "2026-03", "count": 3},
        {"month": "2026-04", "count": 1},
    ]


def test_rates(world, known):
    rates = stats.appeal_stats(world.staff).rates
    assert rates["received"] == 4  # the merged duplicate is not counted
    # a1 and a2 were dispatched before any escalation; a3 only after one.
    assert (rates["response"].numerator, rates["response"].denominator) == (2, 4)
    # a1 archived; a2 was reopened by its unsatisfied visit.
    assert (rates["resolution"].numerator, rates["resolution"].denominator) == (1, 4)
    assert (rates["satisfaction"].numerator, rates["satisfaction"].denominator) == (1, 2)
    assert rates["response"].percent == 50.0


def test_rates_of_nothing_have_no_percent(world, catalogues):
    rates = stats.appeal_stats(world.staff).rates
    assert rates["received"] == 0
    assert rates["satisfaction"].percent is None


def test_filters(world, known):
    def received(**kwargs):
        return stats.appeal_stats(world.staff, StatsFilter(**kwargs)).rates["received"]

    assert received(industry=world.express) == 1
    assert received(industry=world.delivery) == 3
    assert received(region=world.district_b) == 1
    assert received(region=world.district_a) == 3  # street A lies in district A
    assert received(start=dt.date(2026, 4, 1)) == 1
    assert received(end=dt.date(2026, 3, 31)) == 3
    assert received(start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2)) == 3


def test_time_per_level(world, file_appeal):
    """Worked by hand: appeal X waits 2 h unassigned, then 1 h dispatched and 2 h signed at
    the branch before its reply (after which nothing counts); appeal Y waits 10 h unassigned
    until ``now``."""
    x = file_appeal(now=MONDAY_9)
    x = services.appeal_dispatch(
        actor=world.staff, appeal=x, organization=world.branch_delivery, now=MONDAY_9 + 2 * H
    )
    x = services.appeal_sign(actor=world.staff, appeal=x, now=MONDAY_9 + 3 * H)
    services.appeal_reply(actor=world.staff, appeal=x, reply="好", now=MONDAY_9 + 5 * H)
    file_appeal(now=MONDAY_9, contact_phone="13700000003")
    rows = {
        r["level"]: r
        for r in stats.time_per_level(stats.appeals_for_stats(world.staff), now=MONDAY_9 + 10 * H)
    }
    assert list(rows) == list(Level.values)
    assert rows[Level.WORKER]["appeals"] == 2
    assert rows[Level.WORKER]["average"] == 6 * H  # (2 h + 10 h) / 2
    assert rows[Level.PARTY_BRANCH]["appeals"] == 1
    assert rows[Level.PARTY_BRANCH]["average"] == 3 * H
    assert rows[Level.ORGANIZATION_DEPARTMENT]["average"] is None


def test_a_secretary_counts_only_their_appeals(world, known):
    express = stats.appeal_stats(world.secretary_express)
    assert express.rates["received"] == 1
    assert [r["code"] for r in express.by_category] == ["wages"]
    delivery = stats.appeal_stats(world.secretary_delivery)
    assert delivery.rates["received"] == 3
    # The district B officer sees the one appeal placed in district B.
    assert stats.appeal_stats(world.district_officer).rates["received"] == 1


def test_figures_cost_the_same_queries_whatever_the_rows(world, known, file_appeal):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            stats.appeal_stats(world.staff)
        return len(ctx)

    before = count()
    for n in range(5):
        file_appeal(now=MONDAY_9, contact_phone=f"1370000010{n}")
    assert count() == before


# --- the page -------------------------------------------------------------------------------


def test_page_shows_the_scoped_figures_and_chart_data(client, world, known):
    client.force_login(world.secretary_express)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["stats"].rates["received"] == 1
    html = response.content.decode()
    assert 'id="appeal-stats-data"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "美团" not in html  # the Meituan appeals are outside the express committee


def test_page_filters_from_the_query(client, world, known):
    client.force_login(world.staff)
    response = client.get(URL, {"industry": "express", "start": "2026-03-01"})
    assert response.context["stats"].rates["received"] == 1
    bad = client.get(URL, {"start": "2026-04-01", "end": "2026-03-01"})
    assert "end" in bad.context["form"].errors


def test_page_needs_a_login_and_the_permission(client, world, known):
    assert client.get(URL).status_code == 302
    from tests import factories as f

    client.force_login(f.UserFactory(username="nobody"))
    assert client.get(URL).status_code == 403


def test_xlsx_export_holds_the_figures(client, world, known):
    client.force_login(world.secretary_delivery)
    response = client.get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert len(header) == 5
    # The three rates first, as numerator and denominator (a1, a2, a5 are in scope).
    assert [(r[2], r[3]) for r in rows[:3]] == [(2, 3), (1, 3), (1, 2)]
    counts = {r[1]: r[2] for r in rows[3:]}
    assert counts["工资报酬与扣款"] == 2
    assert counts["账号封禁"] == 1
    assert counts["美团"] == 2
    assert counts["2026-03"] == 2 and counts["2026-04"] == 1
    assert "快递" not in str(rows)  # nothing of the express committee's appeal
    # Logged like every export: who took how many rows of figures.
    log = PIIAccessLog.objects.get(action=PIIAction.EXPORT)
    assert log.actor == world.secretary_delivery and log.row_count == len(rows)
