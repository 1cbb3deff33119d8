"""The dashboard (portal home): figures from the snapshot, scope, drill-down to the uncovered
enterprises, export, recompute with a progress bar."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.choices import JobStatus
from core.models import JobRun, PIIAccessLog
from coverage import services
from coverage.models import CoverageSnapshot

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
TODAY = timezone.localdate()
TODAY_FOLLOWS_THE_CLOCK = True  # reset before each test (tests/conftest.py)


@pytest.fixture
def snapshot(world, people, coverage_data):
    services.snapshot_day(day=TODAY)


def _cards(response):
    assert response.status_code == 200
    return {c.key: c for c in response.context["cards"]}


def _listed(client, url) -> set[str]:
    return {e.name for e in client.get(url).context["enterprise_list"]}


def test_staff_cards_show_the_city_snapshot(client, world, snapshot):
    client.force_login(world.staff)
    response = client.get(HOME)
    cards = _cards(response)
    city = CoverageSnapshot.objects.get(day=TODAY, region=world.city, industry=None)
    assert cards["workers"].value == city.workers == 4
    assert (cards["members_found"].value, cards["members_placed"].value) == (2, 2)
    org = cards["organization_coverage"]
    assert (org.value, org.denominator) == (city.organization_covered, city.enterprises) == (3, 6)
    shuangyou = cards["shuangyou"]
    assert (shuangyou.value, shuangyou.denominator) == (4, 6)
    html = response.content.decode()
    assert "66.7%" in html  # 4 / 6, shown beside the numerator and denominator
    # The drill-down's cells: "numerator / denominator (rate%)", never an object's repr.
    assert '<span class="muted"> / 6</span><span class="rate"> (66.7%)</span>' in html
    assert "Cell(" not in html
    # The definition is on the page.
    assert 'id="shuangyou-definition"' in html


def test_secretary_sees_their_industry_and_its_work_list(client, world, snapshot):
    client.force_login(world.secretary_delivery)
    response = client.get(HOME)
    view = response.context["view"]
    assert view.focus == [world.city] and not view.all_industry_rows
    assert [industry for industry, _ in view.by_industry] == [world.delivery]
    cards = _cards(response)
    delivery = CoverageSnapshot.objects.get(day=TODAY, region=world.city, industry=world.delivery)
    assert (cards["uncovered"].value, cards["uncovered"].denominator) == (
        delivery.uncovered,
        delivery.enterprises,
    )
    # The uncovered count links to exactly those enterprises.
    assert _listed(client, cards["uncovered"].url) == {
        world.ent_delivery_b.name,
        world.platform.name,
    }
    html = response.content.decode()
    assert world.express.name not in {i.name for i, _ in view.by_industry}
    assert "快递" not in html.split('id="coverage-chart-data"')[1].split("</script>")[0]


def test_drill_down_reaches_the_uncovered_enterprises_of_a_street(client, world, snapshot):
    client.force_login(world.staff)
    table = client.get(HOME).context["table"]
    # The districts, the city's own level (units registered at the city), then the zone.
    assert [r.region.code for r in table] == ["320400", "320402", "320404", "320400", "320491"]
    assert [r.own_level for r in table] == [False, False, False, True, False]
    assert [r.overlaps for r in table] == [False, False, False, False, True]
    district_a = table[1]
    assert district_a.drill_url
    # One level down: 天宁区 → 雕庄街道.
    street_table = client.get(HOME + district_a.drill_url).context["table"]
    assert [r.region for r in street_table][:2] == [world.district_a, world.street_a]
    # What is registered at the district itself, in no street, has its own row.
    assert all(r.own_level for r in street_table[2:])
    # The zone's rows are its managed street.
    zone_table = client.get(HOME, {"region": "320491"}).context["table"]
    assert [r.region.code for r in zone_table] == ["320491", "320404101"]
    # District B's uncovered cell links to its uncovered station.
    district_b = table[2]
    columns = [str(h) for h in client.get(HOME).context["columns"]]
    uncovered = district_b.cells[columns.index("未覆盖")]
    assert (uncovered.numerator, uncovered.denominator) == (1, 2)
    assert _listed(client, uncovered.url) == {world.ent_delivery_b.name}


def test_district_officer_opens_on_their_district(client, world, snapshot):
    client.force_login(world.district_officer)
    response = client.get(HOME)
    assert response.context["view"].focus == [world.district_b]
    assert _cards(response)["enterprises"].value == 2
    # A region outside their scope shows no figures, not the region's.
    outside = client.get(HOME, {"region": world.district_a.code})
    assert outside.context["view"].empty
    assert outside.context["cards"] == []


def test_export_is_the_drill_down_table_and_is_logged(client, world, snapshot):
    client.force_login(world.staff)
    response = client.get(HOME, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        load_workbook(BytesIO(response.content), read_only=True).active.iter_rows(values_only=True)
    )
    header, city = rows[0], rows[1]
    assert city[:2] == ("常州市", "320400")
    assert city[header.index("经营中企业")] == 6
    assert len(rows) == 1 + 5
    assert "本级" in rows[4][0] and "不计入合计" in rows[5][0]
    log = PIIAccessLog.objects.get()
    assert log.row_count == 5 and log.actor == world.staff


def test_without_a_snapshot_the_page_says_so_and_offers_recompute(
    client, world, people, coverage_data, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(world.staff)
    response = client.get(HOME)
    assert response.context["view"].empty
    html = response.content.decode()
    assert 'id="coverage-recompute"' in html
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reverse("portal:coverage_recompute"))
    job = JobRun.objects.get(kind="coverage.rollup_day")
    assert posted.status_code == 302 and posted["Location"].endswith(f"?job={job.pk}")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.created_by == world.staff
    after = client.get(HOME, {"job": job.pk})
    assert not after.context["view"].empty
    assert 'id="coverage-job-bar"' in after.content.decode()
    # The progress fragment polls while running and stops once done.
    fragment = client.get(reverse("portal:coverage_job", args=[job.pk])).content.decode()
    assert 'value="100"' in fragment and "hx-trigger" not in fragment


def test_only_permitted_staff_may_recompute(client, world, snapshot):
    client.force_login(world.secretary_delivery)
    html = client.get(HOME).content.decode()
    assert 'id="coverage-recompute"' not in html
    assert client.post(reverse("portal:coverage_recompute")).status_code == 403
    job = JobRun.objects.create(kind="coverage.rollup_day", created_by=world.staff)
    assert client.get(reverse("portal:coverage_job", args=[job.pk])).status_code == 404


def test_htmx_recompute_answers_with_the_progress_bar(client, world, snapshot, eager_tasks):
    client.force_login(world.staff)
    response = client.post(reverse("portal:coverage_recompute"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="coverage-job"' in response.content.decode()


def test_dashboard_reads_a_constant_number_of_queries(
    client, world, snapshot, django_assert_max_num_queries
):
    client.force_login(world.staff)
    client.get(HOME)
    with django_assert_max_num_queries(14):
        client.get(HOME)


def test_the_cached_body_follows_every_rollup(client, world, people, coverage_data, settings):
    settings.PORTAL_DASHBOARD_CACHE_SECONDS = 600
    from django.core.cache import cache

    cache.clear()
    services.snapshot_day(day=TODAY)
    client.force_login(world.staff)
    first = client.get(HOME)
    assert "cards" in first.context  # computed
    again = client.get(HOME)
    assert "cards" not in again.context  # served from the cache
    assert again.context["body"] == first.context["body"]
    # New data and a rollup: the next page shows it, without waiting for the cache.
    from tests import factories as f

    f.EnterpriseFactory(name="新开外卖站", industry=world.delivery, region=world.street_a)
    services.snapshot_day(day=TODAY)
    fresh = client.get(HOME)
    assert {c.key: c for c in fresh.context["cards"]}["enterprises"].value == 7
    # Another scope does not get the staff's body.
    client.force_login(world.secretary_delivery)
    secretary = client.get(HOME)
    assert secretary.context["view"].focus == [world.city]
    assert {c.key: c for c in secretary.context["cards"]}["enterprises"].value == 5


def test_region_rows_add_up_to_the_total(client, world, snapshot):
    """The rows in the sum (districts and the city's own level) give the total in every
    column; the zone's row is marked as overlapping and the page says why."""
    client.force_login(world.staff)
    response = client.get(HOME)
    table = response.context["table"]
    total, rows = table[0], [r for r in table if r.in_sum]
    for i, cell in enumerate(total.cells):
        assert cell.numerator == sum(r.cells[i].numerator for r in rows), cell.header
    zone = next(r for r in table if r.overlaps)
    assert zone.region.code == "320491" and zone.cells[0].numerator > 0
    html = response.content.decode()
    assert 'data-overlaps="true"' in html and 'data-own-level="true"' in html
    assert "不计入合计" in html and 'id="drill-note"' in html
