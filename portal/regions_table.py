"""The dashboard's region table (drill-down) and charts, from the coverage snapshot view.

The table reconciles with its total row: the rows one level down that lie in the tree (the
districts of a city) sum to the total together with a row for the units registered at the
focus region's own level (常州市本级: the city itself, not in any district). A management
zone's row (常州经开区) counts streets that also count in their districts, so it is shown,
marked as overlapping, and left out of that sum; the page says so under the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlencode

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.figures import figure_id
from coverage import selectors as coverage_selectors
from coverage.definition import shuangyou_modes
from coverage.models import COUNT_FIELDS, Counts
from organizations.choices import ORGANIZATION_COVERAGE_MODES, CoverageMode, RegionLevel
from organizations.models import Region

from .cards import Links

TREND_MONTHS = 12

#: The drill-down table's columns: (key, header, numerator field, denominator field or None,
#: coverage modes the enterprise-list link filters by, or None for no link).
DRILL_COLUMNS = (
    ("enterprises", _("Operating enterprises"), "enterprises", None, ()),
    (
        "organization_coverage",
        _("Organization coverage"),
        "organization_covered",
        "enterprises",
        ORGANIZATION_COVERAGE_MODES,
    ),
    (
        "standalone",
        _("Standalone organization"),
        "standalone",
        "enterprises",
        (CoverageMode.STANDALONE,),
    ),
    ("joint", _("Joint organization"), "joint", "enterprises", (CoverageMode.JOINT,)),
    ("regional", _("Regional organization"), "regional", "enterprises", (CoverageMode.REGIONAL,)),
    (
        "industry_organization",
        _("Industry organization"),
        "industry_organization",
        "enterprises",
        (CoverageMode.INDUSTRY,),
    ),
    ("work_only", _("Work coverage only"), "work_only", "enterprises", (CoverageMode.WORK_ONLY,)),
    ("uncovered", _("Not covered"), "uncovered", "enterprises", (CoverageMode.NONE,)),
    ("shuangyou", _("双有 ratio"), "shuangyou", "enterprises", None),
    ("workers", _("Workers"), "workers", None, None),
    (
        "workers_organization_covered",
        _("Workers in organization-covered enterprises"),
        "workers_organization_covered",
        "workers",
        None,
    ),
    ("members_among_workers", _("Party members found"), "members_among_workers", None, None),
    ("members_placed", _("Members placed"), "members_placed", None, None),
)


@dataclass(frozen=True)
class Cell:
    """One drill-down cell: "numerator / denominator (rate%)", the numerator linking to the
    enterprises it counts. Rendered here in one go: a province table has hundreds of cells."""

    header: str
    numerator: int
    denominator: int | None
    url: str = ""
    #: The figure's name (:func:`core.figures.figure_id`); the total row's match the cards'.
    figure: str = ""

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return 100 * self.numerator / self.denominator

    def __str__(self) -> str:
        return mark_safe(self.__html__())  # built from escaped parts only

    def td(self) -> str:
        figure = ""
        if self.figure:
            figure = f' data-figure="{escape(self.figure)}" data-numerator="{self.numerator}"'
            if self.denominator is not None:
                figure += f' data-denominator="{self.denominator}"'
        return f'<td class="num" data-label="{escape(self.header)}"{figure}>{self.__html__()}</td>'

    def __html__(self) -> str:
        # Plain escaping, not format_html: this runs for every cell of a province table.
        shown = f"{self.numerator:,}"
        number = f'<a href="{escape(self.url)}">{shown}</a>' if self.url else shown
        if self.denominator is None:
            return number
        percent = self.percent
        rate = "" if percent is None else f'<span class="rate"> ({percent:.1f}%)</span>'
        return f'{number}<span class="muted"> / {self.denominator:,}</span>{rate}'


@dataclass(frozen=True)
class TableRow:
    region: Region
    cells: list[Cell]
    drill_url: str = ""
    is_total: bool = False
    #: A management zone's row: its streets also count in their districts.
    overlaps: bool = False
    #: The units registered at the focus region's own level, in no row below it.
    own_level: bool = False
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.region.name

    @property
    def in_sum(self) -> bool:
        return not (self.is_total or self.overlaps)

    def cells_html(self) -> str:
        """The row's ``<td>`` cells in one go: the template engine would spend more time on a
        province table's hundreds of cells than the snapshot reads take."""
        return mark_safe("".join(cell.td() for cell in self.cells))


#: A column's figure key where a card shows the same figure.
CARD_KEYS = {"work_only": "work_coverage", "members_among_workers": "members_found"}


def _cells(
    counts: Counts,
    region: Region | None,
    links: Links,
    headers: list[str],
    modes_for_shuangyou: tuple[str, ...],
    linked: bool = True,
) -> list[Cell]:
    cells = []
    named = linked and region is not None
    for header, (key, _label, numerator, denominator, modes) in zip(
        headers, DRILL_COLUMNS, strict=True
    ):
        value = getattr(counts, numerator)
        url = ""
        if modes is None and numerator == "shuangyou":
            modes = modes_for_shuangyou
        if linked and modes is not None and value and region is not None:
            url = links.enterprises(modes or None, region=region)
        figure = figure_id(CARD_KEYS.get(key, key), region, links.industry_obj) if named else ""
        cells.append(
            Cell(header, value, getattr(counts, denominator) if denominator else None, url, figure)
        )
    return cells


def _own_level(total: Counts, rows: list[coverage_selectors.DrillRow]) -> Counts | None:
    """What the total holds beyond its in-tree rows (zones left out); ``None`` when nothing,
    or when the rows do not add up below it (a partial scope)."""
    rest = {}
    for name in COUNT_FIELDS:
        value = getattr(total, name) - sum(getattr(r.counts, name) for r in rows)
        if value < 0:
            return None
        rest[name] = value
    if not any(rest.values()):
        return None
    return Counts(**rest)


@dataclass
class RegionTable:
    rows: list[TableRow] = field(default_factory=list)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    @property
    def has_overlap(self) -> bool:
        return any(r.overlaps for r in self.rows)

    @property
    def has_own_level(self) -> bool:
        return any(r.own_level for r in self.rows)


def drill_table(view: coverage_selectors.CoverageView, query: dict) -> RegionTable:
    """The focus region first, then one row per region one level below it in the tree, a row
    for the focus region's own level when it holds units of its own, then the management
    zones (overlapping, not in the sum)."""
    links = Links(view.focus_region, view.industry)
    # Translated once per table, not once per cell.
    headers = [str(label) for _key, label, *_rest in DRILL_COLUMNS]
    modes_for_shuangyou = shuangyou_modes()
    table = RegionTable()
    focus = view.focus_region
    if view.headline is not None:
        table.rows.append(
            TableRow(
                region=focus or view.focus[0],
                cells=_cells(view.headline, focus, links, headers, modes_for_shuangyou),
                is_total=True,
            )
        )

    def row(drill: coverage_selectors.DrillRow, overlaps: bool) -> TableRow:
        url = ""
        if drill.has_children:
            url = "?" + urlencode({**query, "region": drill.region.code})
        return TableRow(
            region=drill.region,
            cells=_cells(drill.counts, drill.region, links, headers, modes_for_shuangyou),
            drill_url=url,
            overlaps=overlaps,
        )

    def is_zone(drill: coverage_selectors.DrillRow) -> bool:
        # A zone below the focus overlaps its districts; a zone's own streets do not.
        return drill.region.level == RegionLevel.ZONE and (
            focus is None or focus.level != RegionLevel.ZONE
        )

    in_tree = [d for d in view.drill if not is_zone(d)]
    table.rows += [row(d, overlaps=False) for d in in_tree]
    if focus is not None and view.headline is not None and in_tree:
        rest = _own_level(view.headline, in_tree)
        if rest is not None:
            table.rows.append(
                TableRow(
                    region=focus,
                    cells=_cells(rest, focus, links, headers, modes_for_shuangyou, linked=False),
                    own_level=True,
                    label=str(_("%(name)s (own level)")) % {"name": focus.name},
                )
            )
    table.rows += [row(d, overlaps=True) for d in view.drill if is_zone(d)]
    return table


def _percent(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def chart_data(view: coverage_selectors.CoverageView, user) -> dict:
    """What the two charts draw, for ``json_script`` (no request leaves the page)."""
    by_industry = [
        {
            "industry": industry.name,
            "enterprises": counts.enterprises,
            "organization_covered": counts.organization_covered,
            "shuangyou": counts.shuangyou,
            "organization_rate": _percent(counts.organization_covered, counts.enterprises),
            "shuangyou_rate": _percent(counts.shuangyou, counts.enterprises),
        }
        for industry, counts in view.by_industry
    ]
    trend = []
    if view.day is not None and view.focus:
        start = (view.day.replace(day=1) - dt.timedelta(days=31 * (TREND_MONTHS - 1))).replace(
            day=1
        )
        points = coverage_selectors.trend(
            user=user,
            regions=view.focus,
            industry_q=view.industry_q(),
            start=start,
            end=view.day,
            monthly=True,
        )
        trend = [
            {
                "day": day.isoformat(),
                "enterprises": counts.enterprises,
                "organization_covered": counts.organization_covered,
                "shuangyou": counts.shuangyou,
                "organization_rate": _percent(counts.organization_covered, counts.enterprises),
                "shuangyou_rate": _percent(counts.shuangyou, counts.enterprises),
            }
            for day, counts in points
        ]
    return {
        "byIndustry": by_industry,
        "trend": trend,
        "labels": {
            "organization": str(_("Organization coverage")),
            "shuangyou": str(_("双有 ratio")),
        },
    }
