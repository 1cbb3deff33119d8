"""The pipeline on a 390 px phone in a real browser, logged in as a branch's secretary: the
board's figures, no sideways scrolling, a label on every field, and a refused step answered
by a field error in Chinese."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.browser import BROWSER, PHONE, screenshot

from .conftest import apply, days_ago

pytestmark = BROWSER

#: Every visible field without a <label for=…>, a wrapping <label> or an aria-label.
UNLABELLED = """() => [...document.querySelectorAll('main input, main select, main textarea')]
  .filter(el => el.type !== 'hidden' && !(el.id && document.querySelector(`label[for="${el.id}"]`))
    && !el.closest('label') && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.outerHTML)"""

_ids = itertools.count(700)


def _fits(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} overflows a 390px screen ({width}px)"


@pytest.fixture
def pipeline(transactional_db, world):
    """Two applicants of the delivery branch, one of the express branch (not the secretary's)."""
    mine = [apply(world, actor=world.staff, id_n=next(_ids), on=days_ago(40 + n)) for n in range(2)]
    apply(world, actor=world.staff, id_n=next(_ids), organization=world.branch_express)
    return mine


def test_the_board_and_a_refused_step_on_a_phone(live_server, pipeline, page):
    from playwright.sync_api import expect

    base = live_server.url.replace("127.0.0.1", "localhost")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/recruitment/")
    page.get_by_label("用户名").fill("sec_delivery")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/recruitment/")
    expect(page.locator("#stage-applicant")).to_have_text("2")  # the express one is not theirs
    expect(page.locator("#stage-activist")).to_have_text("0")
    expect(page.locator("main")).to_contain_text("入党申请人")
    _fits(page, "the board")
    screenshot(page, "recruitment-board")

    page.goto(f"{base}/recruitment/candidates/")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    assert page.evaluate(UNLABELLED) == []
    _fits(page, "the candidate list")

    candidate = pipeline[0]
    page.goto(f"{base}/recruitment/candidates/{candidate.pk}/")
    assert page.evaluate(UNLABELLED) == []
    _fits(page, "the candidate's page")
    page.locator("#id_step").select_option("talk")
    # A talk dated before the application is refused.
    page.locator("#id_on").fill((candidate.applied_on - dt.timedelta(days=1)).isoformat())
    page.locator("main form button[type=submit]").click()
    error = page.locator("main form .field", has=page.locator("#id_on")).locator(".errorlist")
    expect(error).to_be_visible()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.inner_text()), error.inner_text()
    assert candidate.steps.count() == 1
    _fits(page, "the refused step")
    screenshot(page, "recruitment-refused-step")
