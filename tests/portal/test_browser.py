"""The portal in a real browser: log in, filter the enterprise list, check it fits a phone."""

import pytest

from tests.browser import BROWSER, PHONE, screenshot

pytestmark = BROWSER


@pytest.fixture
def committed_world(transactional_db, world):
    """The shared world, committed so the live server's thread can read it."""
    return world


def test_login_filter_enterprise_list_on_a_phone(live_server, committed_world, page):
    from playwright.sync_api import expect

    world = committed_world
    page.goto(f"{live_server.url}/organizations/enterprises/")
    # Anonymous: sent to the login form.
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/organizations/enterprises/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/organizations/enterprises/")

    rows = page.locator("#enterprise-results tbody tr")
    expect(rows).to_have_count(4)

    # Filter by industry through the labelled select and the submit button.
    page.locator("select[name=industry]").select_option("express")
    page.locator("form.filter-form button[type=submit]").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(world.ent_express_a.name)
    expect(page).to_have_url(f"{live_server.url}/organizations/enterprises/?industry=express")
    # The export link follows the filters.
    export = page.locator("#enterprise-results a[href*='format=xlsx']")
    expect(export).to_have_attribute("href", "?industry=express&format=xlsx")

    # A phone: no horizontal scrolling.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(rows).to_have_count(1)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"the list overflows a 390px screen ({scroll_width}px)"

    screenshot(page, "enterprise-list")
