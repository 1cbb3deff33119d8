"""The strict Content-Security-Policy holds in a real browser: the portal's pages, the admin
and Swagger UI run with no refused script or style (the ``page`` fixture fails a test on
any CSP report in the console, any script error or any request off the server)."""

import pytest

from tests.browser import BROWSER

pytestmark = BROWSER


CHART_PAGES = {"/training/stats/", "/appeals/stats/", "/ecosystem/whistles/stats/"}


@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy(live_server, world, page):
    from playwright.sync_api import expect

    base = live_server.url.replace("127.0.0.1", "localhost")
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")
    for path in (
        "/",
        "/training/stats/",
        "/stations/find/",
        "/appeals/stats/",
        "/ecosystem/whistles/stats/",
        "/admin/",
        "/admin/appeals/holiday/",
        "/api/v1/docs/",
    ):
        response = page.goto(f"{base}{path}")
        assert response.status < 400, path
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        page.wait_for_load_state("networkidle")
        # Every chart of the page was drawn (portal/charts.js marks it when ECharts has).
        canvases = page.locator(".chart__canvas").all()
        assert bool(canvases) == (path in CHART_PAGES), path
        for canvas in canvases:
            expect(canvas).to_have_attribute("data-ready", "true")
