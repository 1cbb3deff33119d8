"""The public door on a 390 px phone in a real browser, offline: file, then follow."""

from tests.browser import BROWSER, PHONE, screenshot

pytestmark = BROWSER


def _fits(page, what):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} overflows a 390px screen ({width}px)"


def test_file_and_follow_on_a_phone(live_server, transactional_db, world, page):
    page.set_viewport_size(PHONE)
    from playwright.sync_api import expect

    from appeals.models import Appeal

    url = live_server.url.replace("127.0.0.1", "localhost")
    page.goto(f"{url}/appeals/public/")
    for name in ("category", "description", "location", "region", "platform", "contact_phone"):
        expect(page.locator(f"label[for=id_{name}]")).to_have_count(1)
    _fits(page, "the form")

    # Keyboard: from the first field, Tab reaches the send button without the honeypot.
    page.locator("#id_category").focus()
    seen = []
    for _ in range(20):
        page.keyboard.press("Tab")
        current = page.evaluate("document.activeElement.id || document.activeElement.tagName")
        seen.append(current)
        if current == "BUTTON":
            break
    assert "BUTTON" in seen and "id_website" not in seen, seen

    page.locator("#id_category").select_option("wages")
    page.locator("#id_description").fill("配送费被无故扣除200元，申诉无果。")
    page.locator("#id_location").fill("雕庄街道某商圈")
    page.locator("#id_region").select_option(world.street_a.code)
    page.locator("#id_contact_phone").fill("13912345678")
    page.locator("#id_consent").check()
    page.locator("form.appeal-form button[type=submit]").click()
    reference = page.locator("#reference").inner_text().strip()
    assert Appeal.objects.filter(reference=reference).exists()
    _fits(page, "the reference page")
    # The copy button (shown by the page's script) puts the reference on the clipboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    copy = page.locator("button[data-copy-target=reference]")
    expect(copy).to_be_visible()
    copy.click()
    # The script answers within a second of the click; under a loaded CI machine Chromium's
    # timers and clipboard can lag well past Playwright's default 5 s, so allow 15.
    expect(page.locator(".copy-status")).to_have_text("已复制", timeout=15_000)
    assert page.evaluate("navigator.clipboard.readText()") == reference

    page.locator("a.button").click()
    page.locator("#id_reference").fill(reference)
    page.locator("#id_digits").fill("0000")
    page.locator("form.appeal-form button[type=submit]").click()
    expect(page.locator("#follow-errors")).to_be_visible()

    page.locator("#id_digits").fill("5678")
    page.locator("form.appeal-form button[type=submit]").click()
    expect(page.locator("#appeal-facts")).to_contain_text(reference)
    expect(page.locator("#appeal-handler")).to_contain_text("办理")
    expect(page.locator("button[data-copy-target=appeal-reference]")).to_be_visible()
    expect(page.locator("#appeal-steps > li")).to_have_count(1)
    expect(page.locator("#appeal-expected")).to_be_visible()
    _fits(page, "the status page")
    screenshot(page, "appeals-public-follow")
