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


def test_map_draws_stations_cells_and_sites_offline(
    live_server, circle_run, placed, page, settings
):
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
    # No basemap configured: no tile images at all, but the district outlines and names.
    expect(page.locator("img.leaflet-tile")).to_have_count(0)
    expect(the_map).to_have_attribute("data-districts", "6")
    outlines = page.locator(".leaflet-overlay-pane svg path.district-outline")
    expect(outlines).to_have_count(6)
    assert page.locator(".leaflet-overlay-pane svg path").count() > 6
    expect(page.locator(".district-label", has_text="天宁区")).to_have_count(1)
    expect(page.locator(".district-label", has_text="溧阳市")).to_have_count(1)
    # Leaflet's own controls speak the page's language.
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "放大")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "缩小")
    screenshot(page, "stations-map")
    # A district is a link to its stations (the station list filtered by its Region code).
    page.locator('path.district-outline[data-region="320404"]').dispatch_event("click")
    expect(page).to_have_url(re.compile(r"/stations/\?region=320404$"))
    expect(page.get_by_text(placed.station_b.name)).to_be_visible()


def test_finder_on_a_phone(live_server, transactional_db, world, placed, page):
    from playwright.sync_api import expect

    url = live_server.url.replace("127.0.0.1", "localhost")
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"], origin=url)
    page.context.set_geolocation({"latitude": 31.78, "longitude": 119.9306})
    page.goto(f"{url}/stations/find/")
    # No coordinate fields to type: the position comes from the phone.
    expect(page.locator("#id_lat")).to_be_hidden()
    expect(page.locator("label[for=id_region]")).to_have_count(1)
    expect(page.locator("label[for=id_q]")).to_have_count(1)
    # The open-now control is a normal-sized checkbox inside a full-width labelled toggle.
    box = page.locator("#id_open_now").bounding_box()
    assert box["width"] <= 32 and box["height"] <= 32, box
    toggle = page.locator("label.toggle").bounding_box()
    assert toggle["height"] >= 40 and toggle["width"] > 300, toggle
    page.locator("#id_radius_m").fill("10000")
    page.locator("#use-location").click()
    cards = page.locator("#nearby-results > li")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text(placed.station_b.name)
    expect(cards.first.locator("a.nav-geo")).to_have_attribute(
        "href", re.compile(r"^geo:31\.780000,119\.920000")
    )
    expect(cards.first.locator("a.nav-amap")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"the finder overflows a 390px screen ({scroll_width}px)"
    screenshot(page, "stations-find")

    # Somewhere else: forget the position, pick a street, search.
    page.locator("#clear-location").click()
    page.locator("#id_region").select_option("320402001")
    page.locator("#find-form button[type=submit]").click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(placed.station_a.name)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"the finder overflows a 390px screen ({scroll_width}px)"
    screenshot(page, "stations-find-street")


@pytest.fixture
def second_street(world, placed):
    """A second street of 天宁区 with an active station: the district is divided between two."""
    from organizations.choices import RegionLevel
    from stations import services
    from stations.catalogue import REQUIRED_CODES

    street = f.RegionFactory(
        code="320402005", name="天宁街道", parent=world.district_a, level=RegionLevel.STREET
    )
    return services.station_create(
        actor=world.staff,
        data={
            "name": "天宁红色驿站",
            "kind": "red_station",
            "host_enterprise": world.ent_delivery_a,
            "region": street,
            "address": "天宁区延陵路1号",
            "latitude": 31.8000,
            "longitude": 120.0500,
            "facilities": list(REQUIRED_CODES),
        },
    )


@pytest.mark.parametrize("url", ["/stations/map/", "/grid/map/"])
def test_zoomed_in_every_map_names_the_streets_and_draws_their_approximate_areas(
    live_server, transactional_db, world, placed, second_street, page, url
):
    from playwright.sync_api import expect

    server_url = live_server.url.replace("127.0.0.1", "localhost")

    class Server:
        url = server_url

    _login(page, Server, url)
    the_map = page.locator(".leaflet-container")
    expect(the_map).to_have_attribute("data-ready", "true")
    expect(page.locator(".district-label", has_text="天宁区")).to_have_count(1)
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "放大")
    for _ in range(8):  # zoom in until the streets show (the first fit depends on the data)
        if the_map.get_attribute("data-streets") not in (None, "0"):
            break
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    expect(the_map).to_have_attribute("data-street-areas", "2")
    areas = page.locator("path.street-area")
    expect(areas).to_have_count(2)
    expect(page.locator('path.street-area[data-street="320402001"] title')).to_have_text(
        "雕庄街道 （示意范围，非法定界线）"
    )
    expect(page.locator(".street-label", has_text="天宁街道")).to_have_count(1)
    screenshot(page, "map-streets" + url.replace("/", "-").rstrip("-"))
