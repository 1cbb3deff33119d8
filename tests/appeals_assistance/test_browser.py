"""The totals page in a real browser, offline: the charts draw from the embedded data and the
page fits a phone."""

from tests.browser import BROWSER, PHONE, screenshot

from .helpers import give

pytestmark = BROWSER


def test_totals_page_draws_its_charts(live_server, transactional_db, world, people, funds, page):
    from playwright.sync_api import expect

    give(world.staff, funds.city, worker=people.worker_delivery, amount="1000.00")
    give(world.staff, funds.city, worker=people.worker_express, amount="250.50", purpose="medical")
    give(world.staff, funds.city, member=people.member_delivery, item=funds.tablets, quantity=3)
    url = live_server.url.replace("127.0.0.1", "localhost")
    page.set_viewport_size(PHONE)
    page.goto(f"{url}/appeals/assistance/totals/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(f"{url}/appeals/assistance/totals/")
    expect(page.locator("#total-amount")).to_have_attribute("value", "1250.50")
    for chart in ("#chart-by-purpose", "#chart-by-industry"):
        expect(page.locator(chart)).to_have_attribute("data-ready", "true")
        expect(page.locator(f"{chart} canvas")).to_have_count(1)
    purpose_rows = page.locator("#totals-by-purpose tbody tr")
    expect(purpose_rows).to_have_count(6)
    expect(page.locator('#totals-by-industry tr[data-key="food_delivery"]')).to_contain_text(
        "1,000.00"
    )
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"the totals page overflows a 390px screen ({scroll_width}px)"
    screenshot(page, "assistance-totals")
