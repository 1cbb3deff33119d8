"""The roster import page in a real browser on a phone-sized screen: upload, preview, confirm."""

from members.models import Worker
from members.services.intake import WORKER_COLUMNS
from tests import factories as f
from tests.browser import BROWSER
from tests.members.test_intake_import_pages import good_line
from tests.portal.test_browser import committed_world  # noqa: F401  (fixture)

pytestmark = BROWSER


def test_upload_preview_confirm_on_a_phone(
    live_server,
    committed_world,  # noqa: F811
    page,
    tmp_path,
):
    from django.db import connections
    from playwright.sync_api import expect

    try:
        _upload_preview_confirm(live_server, page, tmp_path, expect)
    finally:
        # ORM calls made beside Playwright's event loop get a connection of their own
        # (another async context); close it so that PostgreSQL can drop the test database.
        connections.close_all()


def _upload_preview_confirm(live_server, tab, tmp_path, expect):
    header = ",".join(WORKER_COLUMNS)
    bad_id = f.resident_id_for(2)[:17] + "Y"
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"{header}\n{good_line(1)}\nMT-2,李四,{bad_id},,nope,,,,,\n{good_line(3)}\n",
        encoding="utf-8",
    )
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(f"{live_server.url}/members/import/")
    tab.get_by_label("用户名").fill("staff")
    tab.get_by_label("密码").fill("pw-for-tests-123")
    tab.locator("form.form button[type=submit]").click()
    expect(tab).to_have_url(f"{live_server.url}/members/import/")

    tab.locator("input[name=source]").fill("meituan")
    tab.locator("input[name=file]").set_input_files(str(roster))
    tab.locator("form.import-form button[type=submit]").click()
    expect(tab.locator("#import-errors-title")).to_be_visible()
    errors = tab.locator("section[aria-labelledby=import-errors-title] tbody tr")
    expect(errors).to_have_count(2)  # row 3: id_number and industry
    html = tab.content()
    assert f.resident_id_for(1) not in html and bad_id not in html
    # Fits the phone: nothing scrolls sideways.
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    assert not Worker.objects.exists()

    tab.locator("input[name=confirm] ~ button[type=submit]").click()
    expect(tab.locator("#import-summary-title")).to_be_visible()
    assert set(Worker.objects.values_list("external_id", flat=True)) == {"MT-1", "MT-3"}
