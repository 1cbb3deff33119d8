"""The course menu and the statistics page in a real browser, logged in, offline."""

from __future__ import annotations

import pytest

from tests.browser import BROWSER, PHONE, screenshot

from .helpers import attend

pytestmark = BROWSER


@pytest.fixture
def attended(transactional_db, world, people, training):
    """Three person-times at class D (the delivery rider at its last three sessions)."""
    attend(world, people.worker_delivery, training.sessions_d[-3:])
    return training


def _url(live_server) -> str:
    return live_server.url.replace("127.0.0.1", "localhost")


def _login(page, base: str, next_url: str) -> None:
    page.goto(f"{base}{next_url}")
    page.get_by_label("用户名").fill("sec_delivery")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.locator("form.form button[type=submit]").click()


def test_course_menu_and_statistics(live_server, attended, page):
    from playwright.sync_api import expect

    base = _url(live_server)
    _login(page, base, "/training/")
    expect(page).to_have_url(f"{base}/training/")
    expect(page.locator("#training-results tbody tr")).to_have_count(1)
    expect(page.locator("#training-results tbody th")).to_contain_text(attended.course.title)

    page.goto(f"{base}/training/stats/")
    expect(page.locator("#total-person_times")).to_have_text("3")
    expect(page.locator("#total-classes")).to_have_text("1")  # class E is not theirs
    expect(page.locator("#chart-months")).to_have_attribute("data-ready", "true")
    expect(page.locator("#chart-industries canvas")).to_have_count(1)
    delivery = page.locator("#stats-by-industry tbody tr", has_text="外卖送餐")
    expect(delivery.locator("td[data-measure=person_times]")).to_have_text("3")
    screenshot(page, "training-stats")


def test_check_in_page_on_a_phone(live_server, attended, page):
    from playwright.sync_api import expect

    base = _url(live_server)
    page.set_viewport_size(PHONE)
    session = attended.sessions_d[-1]
    _login(page, base, f"/training/sessions/{session.pk}/check-in/")
    expect(page.locator("#check-in-code")).to_have_text(session.check_in_code)
    expect(page.locator("label[for=id_worker]")).to_have_count(1)
    expect(page.locator("#checked-in-count")).to_have_text("1")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"the check-in page overflows a 390px screen ({scroll_width}px)"
