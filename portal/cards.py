"""The dashboard's cards: one :class:`KpiCard` per figure, the coverage cards from the snapshot
view and the other apps' cards from their ``dashboard_figures``.

Each card carries its figure ``key``: a page that shows the same figure (a statistics page's
total) marks it with the same ``data-figure`` key, and ``tests/portal/test_figures.py`` checks
that one dataset gives one value per key on every page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from urllib.parse import quote_plus, urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import figures as formats
from coverage import selectors as coverage_selectors
from coverage.definition import shuangyou_modes
from organizations.choices import ORGANIZATION_COVERAGE_MODES, CoverageMode, EnterpriseStatus
from organizations.models import Industry, Region


@dataclass(frozen=True)
class KpiCard:
    """One dashboard card: a count (or money), optionally out of a denominator, linking to its
    list. Rates are shown as numerator / denominator (DESIGN.md §6), the percentage only as a
    help; ``note`` says how the figure is computed."""

    key: str
    title: str
    value: int | Decimal
    denominator: int | Decimal | None = None
    url: str = ""
    note: str = ""
    #: What the percentage is of; empty: of the operating enterprises (the coverage cards).
    rate_label: str = ""
    #: ``"yuan"`` for money (shown with 元 and two decimals).
    unit: str = ""
    #: The figure's name on every page that shows it (:func:`core.figures.figure_id`).
    figure: str = ""

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return float(100 * self.value / self.denominator)

    def _show(self, value) -> str:
        return formats.yuan(value) if self.unit == "yuan" else formats.number(value)

    @property
    def shown_value(self) -> str:
        return self._show(self.value)

    @property
    def shown_denominator(self) -> str:
        return "" if self.denominator is None else self._show(self.denominator)

    @property
    def wan(self) -> str:
        """Money of a report's size also in 万元."""
        if self.unit != "yuan" or abs(self.value) < 10000:
            return ""
        return formats.wan_yuan(self.value)


@dataclass(frozen=True)
class ActivitySection:
    """A row of cards from another app's work (training, appeals, assistance), with what it
    covers: the region and industry chosen, or plainly the viewer's whole scope."""

    key: str
    title: str
    cards: list[KpiCard]
    covers: str = ""


def covers_text(follows: tuple[str, ...], region: Region | None, industry: Industry | None) -> str:
    """What a section's cards count, in words, for the choice made on the dashboard."""
    parts = [str(_("Your scope"))]
    if region is not None and "region" in follows:
        parts.append(region.name)
    if industry is not None and "industry" in follows:
        parts.append(industry.name)
    text = " · ".join(parts)
    ignored = [
        str(label)
        for name, chosen, label in (
            ("region", region, _("the region chosen")),
            ("industry", industry, _("the industry chosen")),
        )
        if chosen is not None and name not in follows
    ]
    if ignored:
        text += " " + str(_("(not narrowed by %(what)s)")) % {"what": "、".join(ignored)}
    return text


class Links:
    """Enterprise-list links filtered to the enterprises a snapshot number counts.

    A province table has hundreds of linked cells: the fixed part of each query (status and
    coverage modes) is encoded once per set of modes."""

    def __init__(self, region: Region | None, industry: Industry | None):
        self.region = region.code if region else None
        self.industry = industry.code if industry else None
        self.industry_obj = industry
        self.base = reverse("organizations:enterprise_list")
        self._fixed: dict[tuple[str, ...], str] = {}

    def enterprises(self, modes=None, region: Region | None = None) -> str:
        key = tuple(str(m) for m in modes) if modes else ()
        fixed = self._fixed.get(key)
        if fixed is None:
            fixed = self._fixed[key] = urlencode(
                {"status": EnterpriseStatus.OPERATING, "coverage_mode": list(key)}, doseq=True
            )
        parts = [fixed]
        code = region.code if region else self.region
        if code:
            parts.append("region=" + quote_plus(code))
        if self.industry:
            parts.append("industry=" + quote_plus(self.industry))
        return f"{self.base}?{'&'.join(parts)}"


def kpi_cards(view: coverage_selectors.CoverageView) -> list[KpiCard]:
    """The dashboard's coverage cards, from the view's headline snapshot figures."""
    counts = view.headline
    if counts is None:
        return []
    links = Links(view.focus_region, view.industry)
    total = counts.enterprises
    cards = [
        KpiCard(
            key="workers",
            title=_("Workers"),
            value=counts.workers,
            note=_(
                "How it is computed: active workers of the new employment groups by their work "
                "region (else their employer's) on the snapshot day."
            ),
        ),
        KpiCard(
            key="members_found",
            title=_("Party members found"),
            value=counts.members_among_workers,
            note=_(
                "How it is computed: active workers matched to a party member (an accepted "
                "match or a found-member case), each worker once."
            ),
        ),
        KpiCard(
            key="members_placed",
            title=_("Members placed"),
            value=counts.members_placed,
            note=_(
                "How it is computed: found members placed in a local branch, plus members "
                "taking part in a host organization without such a case."
            ),
        ),
        KpiCard(
            key="enterprises",
            title=_("Operating enterprises"),
            value=total,
            url=links.enterprises(),
            note=_("Enterprises, platforms and outlets in your scope"),
        ),
        KpiCard(
            key="organization_coverage",
            title=_("Organization coverage"),
            value=counts.organization_covered,
            denominator=total,
            url=links.enterprises(ORGANIZATION_COVERAGE_MODES),
            note=_(
                "How it is computed: operating enterprises with their own, a joint, a regional "
                "or an industry party organization, of all operating enterprises."
            ),
        ),
        KpiCard(
            key="shuangyou",
            title=_("双有 ratio"),
            value=counts.shuangyou,
            denominator=total,
            url=links.enterprises(shuangyou_modes()),
            note=_("See the definition below"),
        ),
        KpiCard(
            key="work_coverage",
            title=_("Work coverage only"),
            value=counts.work_only,
            denominator=total,
            url=links.enterprises([CoverageMode.WORK_ONLY]),
            note=_(
                "How it is computed: operating enterprises with no party organization, reached "
                "by an instructor, a liaison or a union or youth-league group."
            ),
        ),
        KpiCard(
            key="uncovered",
            title=_("Not covered"),
            value=counts.uncovered,
            denominator=total,
            url=links.enterprises([CoverageMode.NONE]),
            note=_("The work list: units with neither coverage yet"),
        ),
    ]
    region = view.focus_region
    return [
        replace(card, figure=formats.figure_id(card.key, region, view.industry)) for card in cards
    ]
