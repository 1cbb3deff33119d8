"""The dashboard in a real browser: the snapshot's numbers on the cards and in the drill-down,
the charts drawn by the vendored ECharts, the drill-down followed to a street."""

from django.utils import timezone

from coverage import services
from coverage.models import CoverageSnapshot
from tests.browser import BROWSER, PHONE

pytestmark = BROWSER


def test_dashboard_shows_the_snapshot(
    live_server, transactional_db, world, people, coverage_data, page
):
    from playwright.sync_api import expect

    services.snapshot_day()
    city = CoverageSnapshot.objects.get(day=timezone.localdate(), region=world.city, industry=None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")

    shuangyou = page.locator(".kpi--shuangyou .kpi__value")
    expect(shuangyou).to_contain_text(f"{city.shuangyou}")
    expect(shuangyou).to_contain_text(f"/ {city.enterprises}")
    expect(page.locator(".kpi--workers .kpi__value")).to_have_text(str(city.workers))
    organization = page.locator(".kpi--organization_coverage .kpi__value")
    expect(organization).to_contain_text(f"{city.organization_covered}")

    # ECharts drew both charts into their containers (a canvas each).
    expect(page.locator("#chart-by-industry canvas")).to_have_count(1)
    expect(page.locator("#chart-trend canvas")).to_have_count(1)

    total = page.locator("#coverage-drill tbody tr").first
    expect(total).to_contain_text("常州市")
    expect(total.locator("td").first).to_have_text(str(city.enterprises))

    # Down to 天宁区, then its street.
    page.locator("#coverage-drill a", has_text="天宁区").click()
    # The district, its street, and what is registered at the district itself.
    expect(page.locator("#coverage-drill tbody tr")).to_have_count(3)
    expect(page.locator("#coverage-drill tbody tr").nth(1)).to_contain_text("雕庄街道")
    expect(page.locator("#coverage-drill tbody tr").nth(2)).to_contain_text("天宁区本级")

    # At 1280 px the page does not scroll sideways: the table wraps or scrolls in its card.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the dashboard overflows 1280px ({width}px)"
    wrap = page.evaluate(
        "(() => { const w = document.querySelector('#coverage-drill').closest('.table-wrap');"
        " const r = w.getBoundingClientRect(); return r.right; })()"
    )
    assert wrap <= 1280, f"the region table's card ends at {wrap}px"
    page.goto(f"{live_server.url}/?region={world.district_a.code}")

    page.set_viewport_size(PHONE)
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard overflows a 390px screen ({width}px)"
