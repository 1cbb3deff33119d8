"""The browser face of organizations: what each user sees, filters, export, queries, i18n."""

from io import BytesIO

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from organizations.choices import CoverageMode
from organizations.views import EnterpriseListView
from tests import factories as f

LIST_URL = reverse("organizations:enterprise_list")
TREE_URL = reverse("organizations:tree")


def listed_names(response) -> set[str]:
    return {e.name for e in response.context["enterprise_list"]}


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("secretary_delivery", {"ent_delivery_a", "ent_delivery_b", "platform"}),
        ("secretary_express", {"ent_express_a"}),
        ("district_officer", {"ent_delivery_b"}),
        ("staff", {"ent_delivery_a", "ent_delivery_b", "ent_express_a", "platform"}),
    ],
)
def test_enterprise_list_shows_exactly_the_users_scope(client, world, username, expected):
    client.force_login(getattr(world, username))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert listed_names(response) == {getattr(world, name).name for name in expected}
    # The rows are on the page, not only in the context.
    html = response.content.decode()
    for name in expected:
        assert getattr(world, name).name in html


def test_enterprise_detail_in_scope_and_out_of_scope(client, world):
    client.force_login(world.secretary_express)
    ok = client.get(reverse("organizations:enterprise_detail", args=[world.ent_express_a.pk]))
    assert ok.status_code == 200
    assert world.ent_express_a.uscc in ok.content.decode()
    hidden = client.get(reverse("organizations:enterprise_detail", args=[world.ent_delivery_a.pk]))
    assert hidden.status_code == 404
    missing = client.get(reverse("organizations:enterprise_detail", args=[999_999]))
    assert missing.status_code == 404


def test_filter_by_coverage_mode(client, world):
    client.force_login(world.staff)
    uncovered = client.get(LIST_URL, {"coverage_mode": CoverageMode.NONE})
    assert listed_names(uncovered) == {world.ent_delivery_b.name, world.platform.name}
    joint = client.get(LIST_URL, {"coverage_mode": CoverageMode.JOINT})
    assert listed_names(joint) == {world.ent_delivery_a.name, world.ent_express_a.name}
    # Several modes at once, as the dashboard's organization-coverage card links them.
    both = client.get(LIST_URL, {"coverage_mode": [CoverageMode.JOINT, CoverageMode.NONE]})
    assert len(listed_names(both)) == 4


def test_filter_by_industry_region_subtree_and_q(client, world):
    client.force_login(world.staff)
    express = client.get(LIST_URL, {"industry": "express"})
    assert listed_names(express) == {world.ent_express_a.name}
    # District A's subtree includes the enterprise located in its street.
    district_a = client.get(LIST_URL, {"region": world.district_a.code})
    assert listed_names(district_a) == {world.ent_delivery_a.name, world.ent_express_a.name}
    street = client.get(LIST_URL, {"region": world.street_a.code})
    assert listed_names(street) == {world.ent_delivery_a.name}
    by_name = client.get(LIST_URL, {"q": "钟楼"})
    assert listed_names(by_name) == {world.ent_delivery_b.name}
    by_uscc = client.get(LIST_URL, {"q": world.ent_express_a.uscc[:14]})
    assert world.ent_express_a.name in listed_names(by_uscc)
    combined = client.get(LIST_URL, {"industry": "food_delivery", "region": world.district_a.code})
    assert listed_names(combined) == {world.ent_delivery_a.name}


def test_filters_cannot_reach_outside_scope(client, world):
    client.force_login(world.secretary_express)
    response = client.get(LIST_URL, {"industry": "food_delivery"})
    # The delivery industry is reference data, but no delivery enterprise is in scope.
    assert listed_names(response) == set()


def test_xlsx_export_has_only_scoped_and_filtered_rows(client, world):
    client.force_login(world.secretary_delivery)
    response = client.get(LIST_URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = xlsx_rows(response)
    header, body = rows[0], rows[1:]
    assert len(header) == len(EnterpriseListView.export_columns)
    # Columns: name, USCC, ...
    assert {row[0] for row in body} == {
        world.ent_delivery_a.name,
        world.ent_delivery_b.name,
        world.platform.name,
    }
    assert {row[1] for row in body} == {
        world.ent_delivery_a.uscc,
        world.ent_delivery_b.uscc,
        world.platform.uscc,
    }

    filtered = client.get(LIST_URL, {"format": "xlsx", "region": world.district_b.code})
    names = {row[0] for row in xlsx_rows(filtered)[1:]}
    assert names == {world.ent_delivery_b.name}


def test_every_export_writes_an_access_log_row(client, world):
    from core.choices import PIIAction
    from core.models import PIIAccessLog

    client.force_login(world.secretary_delivery)
    client.get(LIST_URL, {"format": "xlsx", "region": world.district_b.code})
    log = PIIAccessLog.objects.get()
    assert log.action == PIIAction.EXPORT
    assert log.actor == world.secretary_delivery
    assert log.row_count == 1
    assert log.content_type.model == "enterprise"


def test_list_page_links_export_and_pages_with_the_filters(client, world):
    client.force_login(world.staff)
    for i in range(3):
        f.EnterpriseFactory(name=f"快递{i:02d}", industry=world.express, region=world.district_a)
    response = client.get(LIST_URL, {"industry": "express", "page": 1})
    html = response.content.decode()
    assert "?industry=express&amp;format=xlsx" in html
    # A page of 2 rows: the next link keeps the filter.
    view = EnterpriseListView.as_view(paginate_by=2)
    request = RequestFactory().get(LIST_URL, {"industry": "express"})
    request.user = world.staff
    page = view(request).render().content.decode()
    assert "?industry=express&amp;page=2" in page


def _count_list_queries(client, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["enterprise_list"])


def test_list_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world.staff)
    params = {"industry": "express"}

    def add(n, start):
        for i in range(start, start + n):
            f.EnterpriseFactory(
                name=f"快递网点{i:02d}",
                industry=world.express,
                region=world.street_a if i % 2 else world.district_b,
                platform=world.platform if i % 3 else None,
                party_organization=world.branch_express if i % 2 else None,
            )

    add(2, 0)
    client.get(LIST_URL, params)  # warm caches (content types, sessions)
    queries_3, rows_3 = _count_list_queries(client, params)
    add(17, 2)
    queries_20, rows_20 = _count_list_queries(client, params)
    assert (rows_3, rows_20) == (3, 20)
    assert queries_3 == queries_20


def test_tree_page_shows_only_the_users_subtree(client, world):
    client.force_login(world.secretary_delivery)
    response = client.get(TREE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert world.committee_delivery.name in html
    assert world.branch_delivery.name in html
    assert world.working_committee.name not in html
    assert world.committee_express.name not in html
    assert world.branch_express.name not in html
    roots = response.context["roots"]
    assert [n.organization for n in roots] == [world.committee_delivery]
    assert [n.organization for n in roots[0].children] == [world.branch_delivery]
    # The covered-enterprise count is annotated on each node.
    assert roots[0].children[0].organization.covered_count == 1


def test_tree_page_for_city_staff_nests_everything(client, world):
    client.force_login(world.staff)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(TREE_URL)
    roots = response.context["roots"]
    assert [n.organization for n in roots] == [world.working_committee]
    assert {n.organization for n in roots[0].children} == {
        world.committee_delivery,
        world.committee_express,
    }
    html = response.content.decode()
    assert html.count("<details") == 3  # the working committee and both committees
    tree_queries = [
        q for q in ctx.captured_queries if 'FROM "organizations_partyorganization"' in q["sql"]
    ]
    assert len(tree_queries) == 1


def test_tree_search_filters_by_name_or_code(client, world):
    client.force_login(world.staff)
    response = client.get(TREE_URL, {"q": "br-express"})
    roots = response.context["roots"]
    assert [n.organization for n in roots] == [world.branch_express]
    assert world.branch_delivery.name not in response.content.decode()


def test_organization_detail_lists_children_and_covered_enterprises(client, world):
    client.force_login(world.secretary_delivery)
    url = reverse("organizations:organization_detail", args=[world.committee_delivery.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["children"]) == [world.branch_delivery]
    branch = client.get(
        reverse("organizations:organization_detail", args=[world.branch_delivery.pk])
    )
    assert list(branch.context["enterprises"]) == [world.ent_delivery_a]
    assert world.ent_delivery_a.name in branch.content.decode()


def test_organization_detail_outside_scope_is_404(client, world):
    client.force_login(world.secretary_delivery)
    for org in (world.working_committee, world.committee_express, world.branch_express):
        url = reverse("organizations:organization_detail", args=[org.pk])
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("portal:home"),
        TREE_URL,
        LIST_URL,
        reverse("organizations:enterprise_detail", args=[1]),
        reverse("organizations:organization_detail", args=[1]),
    ],
)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_login_form_logs_in_and_logout_is_a_post(client, world):
    login = client.get(reverse("login"))
    html = login.content.decode()
    assert 'for="id_username"' in html
    assert 'for="id_password"' in html
    response = client.post(
        reverse("login"), {"username": "staff", "password": "pw-for-tests-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    page = response.content.decode()
    assert f'action="{reverse("logout")}"' in page
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("portal:home")).status_code == 302


def test_language_switch_to_english_changes_visible_strings(client, world):
    # Django's own catalog translates the login form's labels; zh-hans is the default.
    zh = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in zh
    assert "用户名" in zh
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True
    )
    en = response.content.decode()
    assert '<html lang="en">' in en
    assert "Username" in en
    assert "用户名" not in en


def test_dashboard_cards_count_the_users_scope(client, world):
    # The dashboard reads the coverage snapshot (tests/coverage covers it in depth).
    from coverage.services import snapshot_day

    snapshot_day()
    client.force_login(world.secretary_delivery)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    cards = {c.key: c for c in response.context["cards"]}
    assert cards["enterprises"].value == 3
    assert (cards["organization_coverage"].value, cards["organization_coverage"].denominator) == (
        1,
        3,
    )
    assert (cards["work_coverage"].value, cards["work_coverage"].denominator) == (0, 3)
    assert (cards["uncovered"].value, cards["uncovered"].denominator) == (2, 3)
    # Each coverage card links to the list filtered the same way and finds the same rows.
    uncovered = client.get(cards["uncovered"].url)
    assert listed_names(uncovered) == {world.ent_delivery_b.name, world.platform.name}
    covered = client.get(cards["organization_coverage"].url)
    assert listed_names(covered) == {world.ent_delivery_a.name}
    html = response.content.decode()
    assert cards["uncovered"].url.replace("&", "&amp;") in html


def test_nav_shows_admin_only_to_staff(client, world):
    client.force_login(world.partner)
    html = client.get(reverse("portal:home")).content.decode()
    assert 'href="/admin/"' not in html
    client.force_login(world.staff)
    html = client.get(reverse("portal:home")).content.decode()
    assert 'href="/admin/"' in html


def test_filter_choices_offer_only_what_is_in_scope(client, world):
    client.force_login(world.secretary_express)
    response = client.get(LIST_URL)
    form = response.context["filterset"].form
    organizations = set(form.fields["party_organization"].queryset)
    assert organizations == {world.committee_express, world.branch_express}
    html = response.content.decode()
    assert world.branch_delivery.name not in html
    # Naming an organization outside scope is a filter error, not a way to list its units.
    outside = client.get(LIST_URL, {"party_organization": world.branch_delivery.pk})
    assert listed_names(outside) == set()
    assert outside.context["filterset"].errors


def test_htmx_filter_request_gets_only_the_results(client, world):
    client.force_login(world.staff)
    response = client.get(LIST_URL, {"industry": "express"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="enterprise-results"')
    assert "<html" not in html
    assert world.ent_express_a.name in html
    assert world.ent_delivery_a.name not in html
