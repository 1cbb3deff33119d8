"""The browser portal's cross-app pages: the dashboard, read from coverage snapshots only.

The dashboard never counts enterprises or workers itself; it shows the newest snapshot rows
the user may see (``coverage.selectors``), so it opens as fast at province scale as in a town.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from appeals import selectors as appeals_selectors
from appeals.assistance import selectors as assistance_selectors
from branchlife import selectors as branchlife_selectors
from core import pii
from core.exports import xlsx_response
from core.models import JobRun
from core.text import has_control_characters
from coverage import selectors as coverage_selectors
from coverage import services as coverage_services
from coverage.definition import shuangyou_description, shuangyou_modes
from coverage.models import Counts, CoverageSnapshot
from ecosystem import selectors as ecosystem_selectors
from grid import selectors as grid_selectors
from members import selectors as members_selectors
from organizations.choices import ORGANIZATION_COVERAGE_MODES, CoverageMode, EnterpriseStatus
from organizations.models import Industry, Region
from organizations.scoping import grants_for
from recruitment import selectors as recruitment_selectors
from stations import selectors as stations_selectors
from taskforce import selectors as taskforce_selectors
from training import selectors as training_selectors

RECOMPUTE_PERMISSION = "coverage.recompute_coveragesnapshot"
TREND_MONTHS = 12


@dataclass(frozen=True)
class KpiCard:
    """One dashboard card: a count, optionally out of a denominator, linking to its list.

    Rates are shown as numerator / denominator (DESIGN.md §6), the percentage only as a help.
    """

    key: str
    title: str
    value: int
    denominator: int | None = None
    url: str = ""
    note: str = ""
    #: What the percentage is of; empty: of the operating enterprises (the coverage cards).
    rate_label: str = ""

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return 100 * self.value / self.denominator


@dataclass(frozen=True)
class ActivitySection:
    """A row of cards from another app's work (training, appeals, assistance)."""

    key: str
    title: str
    cards: list[KpiCard]


#: (key, title, the app's ``dashboard_figures(user)``), in the order the sections show.
ACTIVITY_SOURCES: list[tuple[str, Any, Callable[[Any], list[dict]]]] = [
    ("appeals", _("Appeals"), appeals_selectors.dashboard_figures),
    ("assistance", _("Assistance"), assistance_selectors.dashboard_figures),
    ("training", _("Training and education"), training_selectors.dashboard_figures),
    ("recruitment", _("Membership pipeline"), recruitment_selectors.dashboard_figures),
    ("stations", _("Red stations"), stations_selectors.dashboard_figures),
    ("taskforce", _("Task force"), taskforce_selectors.dashboard_figures),
    ("grid", _("Grid volunteers"), grid_selectors.dashboard_figures),
    ("branchlife", _("Organization life"), branchlife_selectors.dashboard_figures),
    ("ecosystem", _("Ecosystem"), ecosystem_selectors.dashboard_figures),
]


def activity_sections(user) -> list[ActivitySection]:
    """The other apps' figures, kept out of the coverage body (which is cached per snapshot
    version): they move all day, so they are cached per scope for a minute only
    (``PORTAL_ACTIVITY_CACHE_SECONDS``)."""
    seconds = getattr(settings, "PORTAL_ACTIVITY_CACHE_SECONDS", 60)
    key = "portal:activity:" + _digest((_scope_of(user), translation.get_language()))
    sections = cache.get(key) if seconds else None
    if sections is not None:
        return sections
    sections = []
    for source_key, title, figures in ACTIVITY_SOURCES:
        cards = [
            KpiCard(
                **{
                    **figure,
                    **{k: str(figure[k]) for k in ("title", "note", "rate_label") if k in figure},
                }
            )
            for figure in figures(user)
        ]
        if any(card.value or card.denominator for card in cards):
            sections.append(ActivitySection(key=source_key, title=str(title), cards=cards))
    if seconds:
        cache.set(key, sections, seconds)
    return sections


class _Links:
    """Enterprise-list links filtered to the enterprises a snapshot number counts.

    A province table has hundreds of linked cells: the fixed part of each query (status and
    coverage modes) is encoded once per set of modes."""

    def __init__(self, region: Region | None, industry: Industry | None):
        self.region = region.code if region else None
        self.industry = industry.code if industry else None
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
    """The dashboard's cards, from the view's headline snapshot figures."""
    counts = view.headline
    if counts is None:
        return []
    links = _Links(view.focus_region, view.industry)
    total = counts.enterprises
    return [
        KpiCard(
            key="workers",
            title=_("Workers"),
            value=counts.workers,
            note=_("Active workers of the new employment groups"),
        ),
        KpiCard(
            key="members_found",
            title=_("Party members found"),
            value=counts.members_among_workers,
            note=_("Workers matched to a party member"),
        ),
        KpiCard(
            key="members_placed",
            title=_("Members placed"),
            value=counts.members_placed,
            note=_("Placed in a local branch or taking part in a host organization"),
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
            note=_("Own, joint, regional or industry party organization"),
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
            note=_("Reached by an instructor, a liaison or a union or youth-league group"),
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

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return 100 * self.numerator / self.denominator

    def __str__(self) -> str:
        return mark_safe(self.__html__())  # built from escaped parts only

    def __html__(self) -> str:
        # Plain escaping, not format_html: this runs for every cell of a province table.
        number = (
            f'<a href="{escape(self.url)}">{self.numerator}</a>'
            if self.url
            else str(self.numerator)
        )
        if self.denominator is None:
            return number
        percent = self.percent
        rate = "" if percent is None else f'<span class="rate"> ({percent:.1f}%)</span>'
        return f'{number}<span class="muted"> / {self.denominator}</span>{rate}'


@dataclass(frozen=True)
class TableRow:
    region: Region
    cells: list[Cell]
    drill_url: str = ""
    is_total: bool = False

    def cells_html(self) -> str:
        """The row's ``<td>`` cells in one go: the template engine would spend more time on a
        province table's hundreds of cells than the snapshot reads take."""
        return mark_safe(
            "".join(
                f'<td class="num" data-label="{escape(cell.header)}">{cell.__html__()}</td>'
                for cell in self.cells
            )
        )


def _cells(
    counts: Counts,
    region: Region | None,
    links: _Links,
    headers: list[str],
    modes_for_shuangyou: tuple[str, ...],
) -> list[Cell]:
    cells = []
    for header, (_key, _label, numerator, denominator, modes) in zip(
        headers, DRILL_COLUMNS, strict=True
    ):
        value = getattr(counts, numerator)
        url = ""
        if modes is None and numerator == "shuangyou":
            modes = modes_for_shuangyou
        if modes is not None and value and region is not None:
            url = links.enterprises(modes or None, region=region)
        cells.append(
            Cell(header, value, getattr(counts, denominator) if denominator else None, url)
        )
    return cells


def drill_table(view: coverage_selectors.CoverageView, query: dict) -> list[TableRow]:
    """The focus region first, then one row per region one level below it."""
    links = _Links(view.focus_region, view.industry)
    # Translated once per table, not once per cell.
    headers = [str(label) for _key, label, *_rest in DRILL_COLUMNS]
    modes_for_shuangyou = shuangyou_modes()
    rows = []
    if view.headline is not None:
        region = view.focus_region
        rows.append(
            TableRow(
                region=region or view.focus[0],
                cells=_cells(view.headline, region, links, headers, modes_for_shuangyou),
                is_total=True,
            )
        )
    for drill in view.drill:
        url = ""
        if drill.has_children:
            url = "?" + urlencode({**query, "region": drill.region.code})
        rows.append(
            TableRow(
                region=drill.region,
                cells=_cells(drill.counts, drill.region, links, headers, modes_for_shuangyou),
                drill_url=url,
            )
        )
    return rows


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


def _choice(model, code: str | None):
    """The region or industry of a ``?region=``/``?industry=`` code; none for a code no record
    can have (control characters never reach the database)."""
    max_length = model._meta.get_field("code").max_length
    if not code or len(code) > max_length or has_control_characters(code):
        return None
    return model.objects.filter(code=code).first()


def _breadcrumbs(user, view: coverage_selectors.CoverageView, query: dict) -> list[tuple]:
    """The focus region's ancestors the user has rows of, as drill-up links."""
    region = view.focus_region
    if region is None or view.day is None:
        return []
    visible_ids = set(
        coverage_selectors.snapshots(user=user)
        .filter(day=view.day, region__path__in=region.ancestors_paths())
        .values_list("region_id", flat=True)
    )
    ancestors = Region.objects.filter(pk__in=visible_ids).order_by("path")
    return [(r, "?" + urlencode({**query, "region": r.code})) for r in ancestors]


def _snapshot_version() -> tuple | None:
    """What identifies the snapshot data: the newest row (rollups replace rows, so a rerun
    inserts newer ones) and the newest day. Two index lookups."""
    newest = CoverageSnapshot.objects.order_by("-id").values_list("id", "computed_at").first()
    if newest is None:
        return None
    return (*newest, coverage_selectors.latest_day())


def _scope_of(user) -> tuple:
    """What decides which rows a user sees: users with the same grants see the same figures."""
    grants = grants_for(user)
    return (
        grants.city_wide,
        tuple(sorted(o.pk for o in grants.organizations)),
        tuple(sorted(grants.regions)),
        tuple(sorted(grants.platform_ids)),
    )


def _digest(value: tuple) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _cache_key(user, version: tuple, region: str, industry: str) -> str:
    """Users with the same grants see the same dashboard body."""
    return "portal:dashboard:" + _digest(
        (version, _scope_of(user), region, industry, translation.get_language())
    )


def dashboard_context(request, region: Region | None, industry: Industry | None) -> dict:
    """Everything the dashboard body shows, read from snapshot rows in the user's scope."""
    user = request.user
    view = coverage_selectors.coverage_view(user=user, region=region, industry=industry)
    query = {"industry": industry.code} if industry else {}
    export = {**query, **({"region": region.code} if region else {}), "format": "xlsx"}
    return {
        "view": view,
        "cards": kpi_cards(view),
        "table": drill_table(view, query),
        "columns": [header for _k, header, *_rest in DRILL_COLUMNS],
        "charts": chart_data(view, user),
        "breadcrumbs": _breadcrumbs(user, view, query),
        "region_query": {"region": region.code} if region else {},
        "export_url": "?" + urlencode(export),
        "definition": shuangyou_description(),
    }


@login_required
def home(request):
    """The dashboard. Its body is cached per snapshot version and scope
    (``PORTAL_DASHBOARD_CACHE_SECONDS``): any rollup writes newer rows and so a new key."""
    user = request.user
    region_code, industry_code = request.GET.get("region", ""), request.GET.get("industry", "")
    region = _choice(Region, region_code)
    industry = _choice(Industry, industry_code)
    if request.GET.get("format") == "xlsx":
        context = dashboard_context(request, region, industry)
        if context["table"]:
            return _export(request, context["view"], context["table"])
    seconds = getattr(settings, "PORTAL_DASHBOARD_CACHE_SECONDS", 600)
    version = _snapshot_version() if seconds else None
    key = _cache_key(user, version, region_code, industry_code) if version else None
    body = cache.get(key) if key else None
    context: dict = {}
    if body is None:
        context = dashboard_context(request, region, industry)
        body = render_to_string("portal/_dashboard.html", context, request=request)
        if key:
            cache.set(key, body, seconds)
    job = None
    if request.GET.get("job", "").isdigit():
        job = _visible_job(user, int(request.GET["job"]))
    return render(
        request,
        "portal/home.html",
        {
            **context,
            "body": body,
            "can_recompute": user.has_perm(RECOMPUTE_PERMISSION),
            "job": job,
            "activity": activity_sections(user),
            "two_finds": members_selectors.two_finds_status(user)
            if user.has_perm("members.view_matchproposal")
            else None,
        },
    )


def _export(request, view, table: list[TableRow]):
    """The drill-down table as an xlsx ledger: numerator and denominator in their own columns."""
    headers = [str(_("Region")), str(_("Division code"))]
    for _key, header, _num, denominator, _modes in DRILL_COLUMNS:
        headers.append(str(header))
        if denominator:
            headers.append(f"{header} · {_('denominator')}")
    rows = []
    for row in table:
        values: list = [row.region.name, row.region.code]
        for cell in row.cells:
            values.append(cell.numerator)
            if cell.denominator is not None:
                values.append(cell.denominator)
        rows.append(values)
    pii.record_export(
        actor=request.user, model=CoverageSnapshot, fields=headers, row_count=len(rows)
    )
    day = view.day.isoformat() if view.day else "none"
    return xlsx_response(f"coverage-{day}.xlsx", headers, rows)


def _visible_job(user, job_id: int) -> JobRun | None:
    job = JobRun.objects.filter(pk=job_id, kind__startswith="coverage.").first()
    if job is None:
        return None
    if job.created_by_id != user.pk and not user.has_perm(RECOMPUTE_PERMISSION):
        return None
    return job


@login_required
@require_POST
def coverage_recompute(request):
    """Queue today's rollup; answer with the progress bar (htmx) or back on the dashboard."""
    if not request.user.has_perm(RECOMPUTE_PERMISSION):
        raise PermissionDenied
    job = coverage_services.coverage_rollup_queue(actor=request.user)
    if request.headers.get("HX-Request"):
        job.refresh_from_db()
        return render(request, "portal/_coverage_job.html", {"job": job})
    return redirect(reverse("portal:home") + f"?job={job.pk}")


@login_required
def coverage_job(request, pk: int):
    """The progress bar of a coverage job; it polls itself while the job runs."""
    job = _visible_job(request.user, pk)
    if job is None:
        raise Http404
    return render(request, "portal/_coverage_job.html", {"job": job})
