"""The service-circle map and the phone finder in a real browser, offline (no basemap)."""

import re

import pytest

from tests import factories as f
from tests.browser import BROWSER, PHONE, screenshot

pytestmark = BROWSER


@pytest.fixture
def circle_run(transactional_db, world, placed):
    """Uncovered workers 8 km north of station A, and one committed circle run."""
    from core.jobs import job_create
    from stations import services, tasks

    for n in range(6):
        f.WorkerFactory(
            external_id=f"far-{n}",
            region=world.district_a,
            work_lat=31.78 + 8000 / 111_195 + n * 1e-4,
            work_lng=119.97,
        )
    f.WorkerFactory(external_id="near", region=world.district_b, work_lat=31.781, work_lng=119.92)
    job = job_create(actor=world.staff, kind=services.CIRCLE_JOB, parameters={"n_sites": 2})
    tasks.run_service_circle.apply(args=[job.pk])
    return job


def _login(page, live_server, next_url):
    page.goto(f"{live_server.url}{next_url}")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.locator("form.form button[type=submit]").click()


def test_map_draws_stations_cells_and_sites_offline(live_server, circle_run, page, settings):
    from playwright.sync_api import expect

    live_server_url = live_server.url.replace("127.0.0.1", "localhost")

    class Server:
        url = live_server_url

    _login(page, Server, "/stations/map/")
    expect(page).to_have_url(f"{live_server_url}/stations/map/")
    the_map = page.locator("#circle-map")
    expect(the_map).to_have_attribute("data-ready", "true")
    expect(the_map).to_have_class(re.compile(r"\bmap--blank\b"))
    expect(page.locator("path.station-marker")).to_have_count(2)
    expect(page.locator("path.hotspot-cell")).to_have_count(1)
    expect(page.locator("path.site-marker")).to_have_count(1)
    # No basemap configured: no tile images at all.
    expect(page.locator("img.leaflet-tile")).to_have_count(0)
    # Leaflet's own controls speak the page's language.
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "放大")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "缩小")
    screenshot(page, "stations-map")


def test_finder_on_a_phone(live_server, transactional_db, world, placed, page):
    from playwright.sync_api import expect

    url = live_server.url.replace("127.0.0.1", "localhost")
    page.set_viewport_size(PHONE)
    page.goto(f"{url}/stations/find/")
    # Labelled fields (the label text is translated centrally, so address them by id).
    expect(page.locator("label[for=id_lat]")).to_have_count(1)
    page.locator("#id_lat").fill("31.78")
    page.locator("#id_lng").fill("119.9306")
    page.locator("#id_radius_m").fill("10000")
    page.locator("#find-form button[type=submit]").click()
    cards = page.locator("#nearby-results > li")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text(placed.station_b.name)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"the finder overflows a 390px screen ({scroll_width}px)"
    screenshot(page, "stations-find")
