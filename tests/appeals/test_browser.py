"""The appeal board and the staff intake form in a real browser (offline)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from django.utils import timezone

from appeals import services
from appeals.models import Appeal, Category
from tests.browser import BROWSER, screenshot

pytestmark = BROWSER


@contextlib.contextmanager
def body_connections():
    """Database work in a test body beside Playwright's event loop runs on connections of its
    own (asgiref keys them by context): close them, or the test database cannot be dropped."""
    from django.db import connections

    try:
        yield
    finally:
        connections.close_all()


def _login(page, url: str, next_url: str) -> None:
    page.goto(f"{url}{next_url}")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.locator("form.form button[type=submit]").click()


def test_the_board_shows_an_overdue_appeal_counting_down(
    live_server, transactional_db, world, page
):
    with body_connections():
        from playwright.sync_api import expect

        url = live_server.url.replace("127.0.0.1", "localhost")
        late = services.appeal_create(
            actor=world.staff,
            data={
                "category": Category.objects.get(code="account_ban"),
                "channel": "station",
                "description": "账号被封三天",
                "industry": world.delivery,
                "region": world.street_a,
            },
            now=timezone.now() - dt.timedelta(days=3),
        )
        fine = services.appeal_create(
            actor=world.staff,
            data={
                "category": Category.objects.get(code="other"),
                "channel": "web",
                "description": "建议增设驿站",
                "industry": world.delivery,
                "region": world.street_a,
            },
        )
        _login(page, url, "/appeals/")
        expect(page).to_have_url(f"{url}/appeals/")
        late_row = page.locator(f'tr[data-reference="{late.reference}"]')
        expect(late_row).to_have_class(re.compile(r"\bappeal-row--overdue\b"))
        # The countdown script replaced the due time with the time overdue.
        expect(late_row.locator("time[data-countdown]")).to_have_class(
            re.compile(r"\bcountdown--overdue\b")
        )
        expect(late_row.locator("time[data-countdown]")).to_contain_text("逾期")
        fine_row = page.locator(f'tr[data-reference="{fine.reference}"]')
        expect(fine_row).not_to_have_class(re.compile(r"\bappeal-row--overdue\b"))
        expect(fine_row.locator("time[data-countdown]")).to_contain_text("剩余")
        screenshot(page, "appeals-board")


def test_filing_through_the_staff_form_then_dispatching(live_server, transactional_db, world, page):
    with body_connections():
        from playwright.sync_api import expect

        url = live_server.url.replace("127.0.0.1", "localhost")
        _login(page, url, "/appeals/new/")
        expect(page).to_have_url(f"{url}/appeals/new/")
        for name in ("channel", "category", "description", "contact_phone", "region"):
            expect(page.locator(f"label[for=id_{name}]")).to_have_count(1)
        # Submitting empty: field errors, nothing filed.
        page.locator("form.card button[type=submit]").click()
        expect(page.locator("#id_description_error, .errorlist").first).to_be_visible()
        assert not Appeal.objects.exists()
        page.locator("#id_channel").select_option("station")
        page.locator("#id_category").select_option(label="工资报酬与扣款")
        page.locator("#id_description").fill("驿站登记：配送费被扣300元")
        page.locator("#id_contact_name").fill("刘师傅")
        page.locator("#id_contact_phone").fill("13912349876")
        page.locator("#id_region").select_option(label=world.street_a.name)
        page.locator("form.card button[type=submit]").click()
        appeal = Appeal.objects.get()
        expect(page).to_have_url(f"{url}/appeals/{appeal.pk}/")
        expect(page.locator(".messages")).to_contain_text(appeal.reference)
        expect(page.locator("body")).to_contain_text("139****9876")
        dispatch = page.locator("#action-dispatch")
        dispatch.locator("#id_dispatch-organization").select_option(
            label=world.branch_delivery.name
        )
        dispatch.locator("button[type=submit]").click()
        expect(page.locator("#action-sign")).to_be_visible()
        appeal.refresh_from_db()
        assert (
            appeal.status == "dispatched" and appeal.assigned_organization == world.branch_delivery
        )
        screenshot(page, "appeals-detail")
