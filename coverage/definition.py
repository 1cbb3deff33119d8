"""The one configurable place that says what counts towards the "双有" ratio (DESIGN.md §6).

No public source gives the city's exact definition, so it is a setting:
``COVERAGE_SHUANGYOU_MODES`` lists the enterprise coverage modes that count in the numerator
(default: every organization-coverage mode plus work coverage only). The denominator is always
the operating enterprises in scope. ``COVERAGE_SHUANGYOU_DESCRIPTION`` may replace the text the
dashboard shows; by default it is written from the modes themselves so it cannot disagree.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from organizations.choices import ORGANIZATION_COVERAGE_MODES, CoverageMode

DEFAULT_SHUANGYOU_MODES: tuple[str, ...] = (
    *(str(m) for m in ORGANIZATION_COVERAGE_MODES),
    str(CoverageMode.WORK_ONLY),
)


def shuangyou_modes() -> tuple[str, ...]:
    """The coverage modes whose enterprises count in the 双有 numerator."""
    modes = tuple(getattr(settings, "COVERAGE_SHUANGYOU_MODES", DEFAULT_SHUANGYOU_MODES))
    unknown = [m for m in modes if m not in CoverageMode.values]
    if unknown or not modes:
        raise ImproperlyConfigured(
            f"COVERAGE_SHUANGYOU_MODES must list coverage modes out of {CoverageMode.values}; "
            f"got {modes!r}."
        )
    return modes


def shuangyou_description() -> str:
    """The definition in words, in the request's language, as the dashboard shows it."""
    custom = getattr(settings, "COVERAGE_SHUANGYOU_DESCRIPTION", "")
    if custom:
        return str(custom)
    labels = "、".join(str(CoverageMode(m).label) for m in shuangyou_modes())
    return gettext(
        "双有 ratio = operating enterprises covered in one of these ways (%(modes)s) ÷ all "
        "operating enterprises in scope. Coverage is derived from each enterprise's party "
        "organization and work-coverage links, never typed."
    ) % {"modes": labels}
