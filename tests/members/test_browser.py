"""The two finds in a real browser: the review queue from the keyboard, the self-report form
on a phone."""

import pytest
from django.core.cache import cache

from members.choices import ProposalStatus
from members.models import Case, MatchProposal, MemberClaim
from members.throttle import report_key
from tests.browser import BROWSER, PHONE, screenshot

from .two_finds_data import proposal

pytestmark = BROWSER


def close_db_connections():
    """ORM calls made while Playwright's event loop runs get a connection of their own (the
    connection handler is context-local); close it, or PostgreSQL cannot drop the test
    database afterwards."""
    from django.db import connections

    connections.close_all()


@pytest.fixture
def committed(transactional_db, world, people):
    return world, people


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("pw-for-tests-123")
    page.locator("form.form button[type=submit]").click()


def test_review_queue_confirm_from_the_keyboard(live_server, committed, page):
    try:
        _review_queue_confirm_from_the_keyboard(live_server, committed, page)
    finally:
        close_db_connections()


def _review_queue_confirm_from_the_keyboard(live_server, committed, page):
    from playwright.sync_api import expect

    _world, people = committed
    # The queue shows the most uncertain proposal first.
    best = proposal(people.worker_delivery, people.mobile_member, score=11.0, uncertainty=0.9)
    second = proposal(people.worker_delivery_b, people.member_delivery, score=6.0, uncertainty=0.3)
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/members/review/")
    cards = page.locator(".proposal")
    expect(cards).to_have_count(2)
    page.evaluate("window.__notReloaded = true")

    page.keyboard.press("j")  # focus the first (most uncertain) proposal
    expect(page.locator(f"#proposal-{best.pk}")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(f"#proposal-{second.pk}")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator(f"#proposal-{best.pk}")).to_be_focused()
    # The buttons are real buttons in the tab order; "y" works from there too.
    page.keyboard.press("Tab")
    expect(page.locator(f"#proposal-{best.pk} button[data-action=confirm]")).to_be_focused()
    screenshot(page, "review-queue")
    page.keyboard.press("y")

    decided = page.locator(f"#proposal-{best.pk}")
    expect(decided).to_have_attribute("data-status", ProposalStatus.CONFIRMED)
    expect(decided.locator("a[href^='/members/cases/']")).to_have_count(1)
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"
    assert MatchProposal.objects.get(pk=best.pk).status == ProposalStatus.CONFIRMED
    assert Case.objects.filter(proposal=best).exists()
    # Focus stays on the decided row, so the next proposal is one key away; reject it.
    expect(decided).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(f"#proposal-{second.pk}")).to_be_focused()
    page.keyboard.press("n")
    expect(page.locator(f"#proposal-{second.pk}")).to_have_attribute(
        "data-status", ProposalStatus.REJECTED
    )
    assert MatchProposal.objects.get(pk=second.pk).status == ProposalStatus.REJECTED

    # Both decided: a fresh load of the queue is empty.
    page.goto(f"{live_server.url}/members/review/")
    expect(page.locator(".proposal")).to_have_count(0)

    # The case the confirmation opened: its timeline, on a phone.
    case = Case.objects.get(proposal=best)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/members/cases/{case.pk}/")
    expect(page.locator(".timeline__item")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "case-page")
    page.goto(f"{live_server.url}/members/ledgers/tasks/")
    expect(page.locator("table.ledger tbody tr")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "task-list")


def test_self_report_form_on_a_phone(live_server, committed, page):
    try:
        _self_report_form_on_a_phone(live_server, page)
    finally:
        close_db_connections()


def _self_report_form_on_a_phone(live_server, page):
    from playwright.sync_api import expect

    from tests import factories as f

    cache.delete(report_key("127.0.0.1"))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/members/report/")
    fields = page.locator("form.report-form .field:not(.trap) :is(input, select, textarea)")
    count = fields.count()
    assert count >= 8
    for index in range(count):
        field = fields.nth(index)
        expect(field).to_be_visible()
        field_id = field.get_attribute("id")
        label = page.locator(f"label[for='{field_id}']")
        expect(label).to_be_visible()
        assert label.inner_text().strip()
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The honeypot is not visible to people.
    expect(page.locator("input[name=website]")).not_to_be_in_viewport()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"the form overflows a 390px screen ({scroll_width}px)"
    screenshot(page, "self-report-form")

    page.locator("#id_name").fill("周敏")
    page.locator("#id_id_number").fill(f.resident_id_for(4242))
    page.locator("#id_phone").fill("13955554444")
    page.locator("#id_home_organization_name").fill("安徽省阜阳市某村党支部")
    page.locator("#id_industry").select_option("food_delivery")
    page.locator("#id_consent").check()
    page.locator("form.report-form button[type=submit]").click()
    reference = page.locator("#reference")
    expect(reference).to_be_visible()
    claim = MemberClaim.objects.get()
    expect(reference).to_have_text(claim.reference)
    assert "13955554444" not in page.content()
    cache.delete(report_key("127.0.0.1"))
