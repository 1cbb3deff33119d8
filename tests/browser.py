"""What every browser test shares: Debian's Chromium, the marks that skip without it, and
where screenshots go. The ``page`` fixture itself is in tests/conftest.py."""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PHONE = {"width": 390, "height": 844}

#: ``pytestmark = BROWSER`` in a browser test module.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"{CHROMIUM} is not installed (apt-get install chromium)",
    ),
]


def screenshot(page, name: str) -> None:
    """Keep a full-page picture of what the test saw in test-artifacts/ (CI keeps them)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
