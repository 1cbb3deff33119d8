"""The browser portal's cross-app pages: the dashboard, read from coverage snapshots only.

The dashboard never counts enterprises or workers itself; it shows the newest snapshot rows
the user may see (``coverage.selectors``), so it opens as fast at province scale as in a town.
Its cards live in :mod:`portal.cards`, its region table and charts in
:mod:`portal.regions_table`; the other apps' cards come from ``ACTIVITY_SOURCES`` and follow
the region and industry chosen (``organizations.figures.FigureFilter``).
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from appeals import selectors as appeals_selectors
from appeals.assistance import selectors as assistance_selectors
from branchlife import selectors as branchlife_selectors
from core import pii
from core.exports import export_info, xlsx_response
from core.figures import figure_id
from core.models import JobRun
from core.text import has_control_characters
from coverage import selectors as coverage_selectors
from coverage import services as coverage_services
from coverage.definition import shuangyou_description
from coverage.models import CoverageSnapshot
from ecosystem import selectors as ecosystem_selectors
from grid import selectors as grid_selectors
from members import selectors as members_selectors
from organizations import selectors as organizations_selectors
from organizations.figures import FigureFilter
from organizations.models import Industry, Region
from organizations.scoping import grants_for
from recruitment import selectors as recruitment_selectors
from stations import selectors as stations_selectors
from taskforce import selectors as taskforce_selectors
from training import selectors as training_selectors

from .cards import ActivitySection, KpiCard, covers_text, kpi_cards
from .regions_table import DRILL_COLUMNS, RegionTable, chart_data, drill_table

RECOMPUTE_PERMISSION = "coverage.recompute_coveragesnapshot"

__all__ = ["ACTIVITY_SOURCES", "KpiCard", "activity_sections", "home"]


#: (key, title, the app's ``dashboard_figures(user)``), in the order the sections show.
ACTIVITY_SOURCES: list[tuple[str, Any, Callable[[Any], list[dict]]]] = [
    ("organizations", _("Organization health"), organizations_selectors.dashboard_figures),
    ("appeals", _("Appeals"), appeals_selectors.dashboard_figures),
    ("assistance", _("Assistance"), assistance_selectors.dashboard_figures),
    ("training", _("Training and education"), training_selectors.dashboard_figures),
    ("stations", _("Red stations"), stations_selectors.dashboard_figures),
    ("recruitment", _("Membership pipeline"), recruitment_selectors.dashboard_figures),
    ("branchlife", _("Organization life"), branchlife_selectors.dashboard_figures),
    ("grid", _("Grid volunteers"), grid_selectors.dashboard_figures),
    ("ecosystem", _("Ecosystem"), ecosystem_selectors.dashboard_figures),
    ("taskforce", _("Task force"), taskforce_selectors.dashboard_figures),
]


def _accepts_where(figures: Callable) -> bool:
    try:
        return "where" in inspect.signature(figures).parameters
    except (TypeError, ValueError):
        return False


def activity_sections(user, where: FigureFilter | None = None) -> list[ActivitySection]:
    """The other apps' figures for the region and industry chosen (``where``), each section
    saying what it covers. Kept out of the coverage body (which is cached per snapshot
    version): they move all day, so they are cached per scope and choice for a minute only
    (``PORTAL_ACTIVITY_CACHE_SECONDS``). A source whose ``dashboard_figures`` takes no
    ``where`` shows the whole scope and says so."""
    where = where or FigureFilter()
    seconds = getattr(settings, "PORTAL_ACTIVITY_CACHE_SECONDS", 60)
    choice = (
        where.region.code if where.region else "",
        where.industry.code if where.industry else "",
    )
    key = "portal:activity:" + _digest((_scope_of(user), choice, translation.get_language()))
    sections = cache.get(key) if seconds else None
    if sections is not None:
        return sections
    sections = []
    for source_key, title, figures in ACTIVITY_SOURCES:
        if _accepts_where(figures):
            follows = tuple(getattr(figures, "follows", ("region", "industry")))
            rows = figures(user, where=where)
        else:
            follows, rows = (), figures(user)
        region = where.region if "region" in follows else None
        industry = where.industry if "industry" in follows else None
        cards = [
            KpiCard(
                **{
                    **figure,
                    **{k: str(figure[k]) for k in ("title", "note", "rate_label") if k in figure},
                    "figure": figure_id(figure.get("figure") or figure["key"], region, industry),
                }
            )
            for figure in rows
        ]
        if any(card.value or card.denominator for card in cards):
            sections.append(
                ActivitySection(
                    key=source_key,
                    title=str(title),
                    cards=cards,
                    covers=covers_text(follows, where.region, where.industry),
                )
            )
    if seconds:
        cache.set(key, sections, seconds)
    return sections


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
            "activity": activity_sections(user, FigureFilter(region=region, industry=industry)),
            "two_finds": members_selectors.two_finds_status(user)
            if user.has_perm("members.view_matchproposal")
            else None,
        },
    )


def _export(request, view, table: RegionTable):
    """The drill-down table as an xlsx ledger: numerator and denominator in their own columns."""
    headers = [str(_("Region")), str(_("Division code"))]
    for _key, header, _num, denominator, _modes in DRILL_COLUMNS:
        headers.append(str(header))
        if denominator:
            headers.append(f"{header} · {_('denominator')}")
    rows = []
    for row in table:
        name = row.name
        if row.overlaps:
            name = f"{name}（{_('overlaps its districts, not in the sum')}）"
        values: list = [name, row.region.code]
        for cell in row.cells:
            values.append(cell.numerator)
            if cell.denominator is not None:
                values.append(cell.denominator)
        rows.append(values)
    pii.record_export(
        actor=request.user, model=CoverageSnapshot, fields=headers, row_count=len(rows)
    )
    day = view.day.isoformat() if view.day else "none"
    return xlsx_response(
        f"coverage-{day}.xlsx",
        headers,
        rows,
        title=str(_("Coverage %(day)s") % {"day": day}),
        info=export_info(request),
    )


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
