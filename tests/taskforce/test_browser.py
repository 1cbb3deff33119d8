"""The task force on a 390 px phone in a real browser, logged in as a member unit's staffer
(the postal administration of the demo): the task board, the 18 measures with their
progress bars, the research campaign's figures (143 cadres, 70 groups, 120 visits, 353
interviews), no sideways scrolling and a label on every field."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.taskforce import seed_taskforce
from taskforce.measures.selectors import measure_board
from taskforce.models import Campaign
from tests.browser import BROWSER, PHONE, screenshot

pytestmark = BROWSER

PASSWORD = "pw-for-tests-123"

#: Every visible field without a <label for=…>, a wrapping <label> or an aria-label.
UNLABELLED = """() => [...document.querySelectorAll('main input, main select, main textarea')]
  .filter(el => el.type !== 'hidden' && !(el.id && document.querySelector(`label[for="${el.id}"]`))
    && !el.closest('label') && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.outerHTML)"""


def _fits(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} overflows a 390px screen ({width}px)"
    assert page.evaluate(UNLABELLED) == [], f"{what} has a field without a label"


@pytest.fixture
def demo(transactional_db, world):
    seed_taskforce(actor=world.staff, seed=1)
    user = get_user_model().objects.get(username="unit_postal")
    user.set_password(PASSWORD)
    user.save()
    return Campaign.objects.get(name="“百人万里行”新就业群体专题调研")


def test_the_task_force_on_a_unit_staffers_phone(live_server, demo, page):
    from playwright.sync_api import expect

    base = live_server.url.replace("127.0.0.1", "localhost")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/taskforce/")
    page.get_by_label("用户名").fill("unit_postal")
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/taskforce/")
    # Their own unit's tasks only, in one row of the board.
    expect(page.locator("#by-unit-title ~ .table-wrap tbody tr")).to_have_count(1)
    _fits(page, "the task board")
    screenshot(page, "taskforce-board")

    # The measures their unit leads or answers for, each with its progress bar and figure.
    user = get_user_model().objects.get(username="unit_postal")
    mine = measure_board(user, timezone.localdate().year)
    assert 0 < len(mine) < 18
    page.goto(f"{base}/taskforce/measures/")
    expect(page.locator("main table tbody tr")).to_have_count(len(mine))
    expect(page.locator("main table tbody progress")).to_have_count(len(mine))
    first = page.locator("main table tbody tr").first
    expect(first.locator("progress")).to_have_attribute("value", str(mine[0].percent))
    expect(first).to_contain_text(f"{mine[0].percent}%")
    _fits(page, "the measures page")
    screenshot(page, "taskforce-measures")

    page.goto(f"{base}/taskforce/research/{demo.pk}/")
    for figure, value in (("cadres", 143), ("groups", 70), ("visits", 120), ("interviews", 353)):
        expect(page.locator(f"dd[data-figure={figure}]")).to_have_text(str(value))
    _fits(page, "the campaign's figures")
    screenshot(page, "taskforce-research")
