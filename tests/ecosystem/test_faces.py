"""The portal pages and the admin of the ecosystem: scoped lists, 404 outside scope, xlsx
exports, statistics pages with their charts' data, constant queries, the admin raising a whistle
through the service (a field error writes nothing)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecosystem.jobfairs.models import JobApplication
from ecosystem.whistles.models import Whistle

from . import helpers as h

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content)).worksheets


def test_fair_pages_are_scoped(client, world):
    mine, theirs = h.fair(world), h.fair(world, mine=False)
    client.force_login(world.secretary_delivery)
    page = client.get(reverse("ecosystem_jobfairs:list")).content.decode()
    assert mine.title in page and theirs.title not in page
    assert client.get(reverse("ecosystem_jobfairs:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("ecosystem_jobfairs:detail", args=[theirs.pk])).status_code == 404
    rows = list(
        _sheet(client.get(reverse("ecosystem_jobfairs:list"), {"format": "xlsx"}))[0].values
    )
    assert len(rows) == 2 and rows[1][0] == mine.title


def test_fair_list_queries_do_not_grow(client, world):
    client.force_login(world.staff)
    url = reverse("ecosystem_jobfairs:list")
    h.fair(world)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        h.fair(world)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    "name",
    [
        "ecosystem_jobfairs:stats",
        "ecosystem_jobfairs:positions",
        "ecosystem_jobfairs:applications",
        "ecosystem_whistles:list",
        "ecosystem_whistles:stats",
        "ecosystem_whistles:policies",
        "ecosystem_massorgs:list",
        "ecosystem_massorgs:projects",
        "ecosystem_massorgs:cases",
        "ecosystem_massorgs:stats",
    ],
)
def test_every_page_and_its_export_answer(client, world, name):
    h.application(world, status="hired")
    h.case(world)
    client.force_login(world.secretary_delivery)
    page = client.get(reverse(name))
    assert page.status_code == 200
    assert "<script>" not in page.content.decode()  # no inline script (CSP)
    assert _sheet(client.get(reverse(name), {"format": "xlsx"}))


def test_statistics_page_shows_the_hand_built_figures(client, world):
    p = h.position(world, headcount=4)
    h.application(world, position=p, status="hired")
    h.application(world, position=p, status="hired")
    h.application(world, mine=False, status="hired")
    client.force_login(world.secretary_delivery)
    page = client.get(reverse("ecosystem_jobfairs:stats"))
    assert page.context["cards"][5] == {
        "key": "matched",
        "label": "岗位匹配数（录用）" if False else page.context["cards"][5]["label"],
        "value": 2,
    }
    sheets = _sheet(client.get(reverse("ecosystem_jobfairs:stats"), {"format": "xlsx"}))
    totals = {row[0]: row[1] for row in sheets[0].values}
    assert 2 in totals.values() and 4 in totals.values()


def test_mass_organization_list_is_scoped(client, world):
    mine, theirs = h.mass_org(world), h.mass_org(world, mine=False)
    client.force_login(world.secretary_delivery)
    page = client.get(reverse("ecosystem_massorgs:list")).content.decode()
    assert mine.name in page and theirs.name not in page


def test_whistle_pages_are_scoped_and_the_department_answers_there(
    client, world, chain, raise_whistle
):
    mine = raise_whistle()
    theirs = raise_whistle(
        enterprise=chain.outsider, title="光伏并网", departments=[chain.resources]
    )
    client.force_login(chain.secretary)
    page = client.get(reverse("ecosystem_whistles:list")).content.decode()
    assert mine.reference in page and theirs.reference not in page
    assert client.get(reverse("ecosystem_whistles:detail", args=[theirs.pk])).status_code == 404
    # The finance unit's staff report on the whistle's page.
    client.force_login(chain.finance_staff)
    detail = client.get(reverse("ecosystem_whistles:detail", args=[mine.pk]))
    assert detail.status_code == 200
    assignment = mine.assignments.get()
    response = client.post(
        reverse("ecosystem_whistles:report", args=[assignment.pk]),
        {f"r{assignment.pk}-note": "已对接"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "reported"
    other = theirs.assignments.get()
    response = client.post(reverse("ecosystem_whistles:report", args=[other.pk]), {})
    assert response.status_code == 404


def test_admin_lists_are_scoped_and_outside_is_404(client, world, chain, raise_whistle):
    mine = raise_whistle()
    theirs = raise_whistle(enterprise=chain.outsider, title="光伏并网")
    fair_mine, fair_theirs = h.fair(world), h.fair(world, mine=False)
    client.force_login(world.secretary_delivery)
    html = client.get("/admin/ecosystem/jobfair/").content.decode()
    assert fair_mine.title in html and fair_theirs.title not in html
    assert client.get(f"/admin/ecosystem/jobfair/{fair_theirs.pk}/change/").status_code == 404
    client.force_login(chain.secretary)
    html = client.get("/admin/ecosystem/whistle/").content.decode()
    assert mine.reference in html and theirs.reference not in html
    assert client.get(f"/admin/ecosystem/whistle/{theirs.pk}/change/").status_code == 404


def test_admin_raises_a_whistle_through_the_service(client, world, chain):
    client.force_login(world.staff)
    url = "/admin/ecosystem/whistle/add/"
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "enterprise": chain.leader.pk,
            "raised_by": "enterprise",
            "category": "weather",
            "title": "x",
        },
    )
    assert bad.status_code == 200 and not Whistle.objects.exists()
    ok = client.post(
        url,
        {
            "enterprise": chain.leader.pk,
            "raised_by": "enterprise",
            "category": "energy",
            "title": "用电增容",
            "departments": [chain.finance.pk],
        },
    )
    assert ok.status_code == 302, ok.context["adminform"].form.errors
    whistle = Whistle.objects.get()
    assert whistle.status == "routed" and whistle.chain == chain.chain


def test_the_dashboard_shows_the_ecosystem_cards_in_scope(client, world):
    p = h.position(world, headcount=5)
    h.application(world, position=p, status="hired")
    h.application(world, mine=False, status="hired")
    h.mass_org(world)
    client.force_login(world.secretary_delivery)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    section = next(s for s in response.context["activity"] if s.key == "ecosystem")
    cards = {card.key: card for card in section.cards}
    assert cards["positions_matched"].value == 1
    assert cards["positions_matched"].denominator == 5
    assert cards["jobfairs"].value == 1
    assert cards["womens_federation_orgs"].value == 1


def test_whistle_filters_by_department_and_overdue(client, world, chain, raise_whistle):
    finance = raise_whistle()
    land = raise_whistle(category="land", departments=[chain.resources])
    client.force_login(world.staff)
    url = reverse("ecosystem_whistles:list")
    page = client.get(url, {"department": chain.resources.code}).content.decode()
    assert land.reference in page and finance.reference not in page
    # Both were routed on 2026-03-02 and never reported: overdue now.
    page = client.get(url, {"overdue": "true"}).content.decode()
    assert land.reference in page and finance.reference in page
    page = client.get(url, {"overdue": "false"}).content.decode()
    assert land.reference not in page


def test_staff_route_a_raised_whistle_and_close_it_on_its_page(client, world, chain, raise_whistle):
    from ecosystem.whistles import services

    whistle = raise_whistle(departments=[])
    client.force_login(world.staff)
    url = reverse("ecosystem_whistles:route", args=[whistle.pk])
    client.post(url, {})  # no department: an error message, nothing written
    assert not whistle.assignments.exists()
    client.post(url, {"departments": [chain.resources.pk]})
    assignment = whistle.assignments.get()
    services.assignment_report(actor=world.staff, assignment=assignment)
    services.assignment_resolve(actor=world.staff, assignment=assignment, outcome="已解决")
    client.post(reverse("ecosystem_whistles:close", args=[whistle.pk]))
    whistle.refresh_from_db()
    assert whistle.status == "closed"
    # Another chain's secretary: 404.
    client.force_login(chain.other_secretary)
    response = client.post(reverse("ecosystem_whistles:close", args=[whistle.pk]))
    assert response.status_code == 404


def test_admin_actions_advance_applications_within_the_openings(client, world):
    p = h.position(world, headcount=1)
    a, b = h.application(world, position=p), h.application(world, position=p)
    client.force_login(world.secretary_delivery)
    response = client.post(
        "/admin/ecosystem/jobapplication/",
        {"action": "mark_hired", "_selected_action": [a.pk, b.pk]},
        follow=True,
    )
    assert response.status_code == 200
    statuses = sorted(
        JobApplication.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)
    )
    assert statuses == ["applied", "hired"]  # one opening: the second hire is refused
