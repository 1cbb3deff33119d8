"""The grid's pages: the task board and the points ledger (both export xlsx), the verification
queue with the proof beside the task, campaigns with their mobilisation figures."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import geo
from core.forms import apply_service_errors
from organizations.scoped import Column, ColumnsListView
from stations import selectors as station_selectors

from . import selectors, services
from .campaign_files import read_task_rows
from .filtersets import TaskFilterSet
from .forms import AdjustForm, RedeemForm
from .models import PointsEntry, ProofPhoto, Task


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _label(model, name: str) -> Any:
    return model._meta.get_field(name).verbose_name


class GridListView(ColumnsListView):
    template_name = "grid/list.html"
    columns: tuple[Column, ...] = ()

    @property
    def export_columns(self):  # type: ignore[override]
        return self.columns


class TaskBoardView(GridListView):
    model = Task
    filterset_class = TaskFilterSet
    title = _("Grid task board")
    export_filename = "grid-tasks.xlsx"
    columns = (
        Column(_label(Task, "title"), lambda t: t.title),
        Column(_label(Task, "kind"), lambda t: t.get_kind_display()),
        Column(_label(Task, "region"), lambda t: t.region.name),
        Column(_label(Task, "place"), lambda t: t.place),
        Column(_label(Task, "starts_at"), lambda t: _dt(t.starts_at)),
        Column(_label(Task, "ends_at"), lambda t: _dt(t.ends_at)),
        Column(_("Places taken / wanted"), lambda t: f"{t.filled} / {t.slots}"),
        Column(_label(Task, "points"), lambda t: t.points),
        Column(_label(Task, "status"), lambda t: t.get_status_display()),
    )

    def base_queryset(self):
        return Task.objects.select_related("region")


class LedgerView(GridListView):
    model = PointsEntry
    title = _("Points ledger")
    export_filename = "grid-points.xlsx"
    columns = (
        Column(_label(PointsEntry, "at"), lambda e: _dt(e.at)),
        Column(_("Volunteer"), lambda e: e.account.volunteer.worker.name),
        Column(_label(PointsEntry, "kind"), lambda e: e.get_kind_display()),
        Column(_label(PointsEntry, "points"), lambda e: e.points),
        Column(_label(PointsEntry, "balance_after"), lambda e: e.balance_after),
        Column(_label(PointsEntry, "reason"), lambda e: e.reason),
    )

    def base_queryset(self):
        return PointsEntry.objects.select_related("account__volunteer__worker").order_by(
            "-at", "-id"
        )


MAP_MAX_TASKS = 3000


@login_required
@permission_required("grid.view_task", raise_exception=True)
def task_map(request):
    """Open tasks in scope on the offline map (the newest ``MAP_MAX_TASKS``)."""
    rows = (
        selectors.tasks_for(request.user)
        .filter(status="open")
        .order_by("-starts_at", "-id")
        .values("title", "place", "lat", "lng", "slots", "filled", "campaign_id")[:MAP_MAX_TASKS]
    )
    tasks = [
        {
            "title": r["title"],
            "place": r["place"],
            "lat": r["lat"],
            "lng": r["lng"],
            "left": r["slots"] - r["filled"],
            "campaign": bool(r["campaign_id"]),
        }
        for r in rows
    ]
    return render(
        request,
        "grid/map.html",
        {
            "title": _t("Map of open tasks"),
            "map_data": {
                "tasks": tasks,
                "streets": station_selectors.street_labels_for(request.user),
                "street_areas": station_selectors.street_areas(),
            },
            "count": len(tasks),
            "tile_url": settings.PORTAL_MAP_TILE_URL,
            "map_config": {
                "tileUrl": settings.PORTAL_MAP_TILE_URL,
                "gcj02": settings.PORTAL_MAP_TILES_GCJ02,
                "center": [31.78, 119.95],
                "labels": {"placesLeft": _t("places left"), **geo.map_labels()},
            },
        },
    )


@login_required
@permission_required("grid.view_claim", raise_exception=True)
def queue(request):
    """Proof waiting for verification, flagged first, each beside its task."""
    claims = list(selectors.verification_queue(request.user)[:50])
    return render(
        request,
        "grid/queue.html",
        {"title": _t("Verification queue"), "claims": claims, "now": timezone.now()},
    )


@login_required
@permission_required("grid.change_claim", raise_exception=True)
@require_POST
def decide(request, pk: int):
    claim = get_object_or_404(selectors.claims_for(request.user), pk=pk)
    try:
        if request.POST.get("decision") == "verify":
            services.claim_verify(actor=request.user, claim=claim)
            messages.success(request, _t("Verified; the points are on the volunteer's account."))
        else:
            services.claim_return(
                actor=request.user, claim=claim, reason=request.POST.get("reason", "")
            )
            messages.success(request, _t("Returned to the volunteer."))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("grid:queue")


@login_required
def photo(request, pk: int):
    """A proof photo, for whoever may see its claim."""
    row = get_object_or_404(
        ProofPhoto.objects.filter(claim__in=selectors.claims_for(request.user).values("pk")),
        claim_id=pk,
    )
    response = HttpResponse(bytes(row.data), content_type=row.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@permission_required("grid.view_campaign", raise_exception=True)
def campaign_list(request):
    campaigns = list(selectors.campaigns_for(request.user)[:100])
    return render(
        request, "grid/campaigns.html", {"title": _t("Campaigns"), "campaigns": campaigns}
    )


@login_required
@permission_required("grid.view_campaign", raise_exception=True)
def campaign_detail(request, pk: int):
    """Mobilisation in real time: volunteers on the campaign's tasks, tasks done, by district;
    publish many tasks from an xlsx sheet; close with a report."""
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    errors: list[dict] = []
    if request.method == "POST" and request.user.has_perm("grid.add_task"):
        if request.POST.get("action") == "close":
            try:
                services.campaign_close(actor=request.user, campaign=campaign)
                messages.success(request, _t("The campaign is closed; its report is kept."))
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            return redirect("grid:campaign", pk=campaign.pk)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _t("Choose an xlsx file."))
        else:
            try:
                rows, errors = read_task_rows(upload)
                created, bad = services.campaign_publish_tasks(
                    actor=request.user, campaign=campaign, rows=rows
                )
                errors += bad
                messages.success(request, _t("%(n)d tasks published.") % {"n": len(created)})
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
    figures = (
        campaign.report if campaign.status == "closed" else selectors.campaign_figures(campaign)
    )
    share = (
        round(100 * figures["volunteers"] / figures["target"]) if figures.get("target") else None
    )
    return render(
        request,
        "grid/campaign.html",
        {
            "title": campaign.name,
            "campaign": campaign,
            "figures": figures,
            "share": share,
            "errors": errors,
        },
    )


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        apply_service_errors(form, exc)
    else:
        form.add_error(None, exc.messages)


@login_required
@permission_required("grid.view_pointsaccount", raise_exception=True)
def points(request):
    """Leaderboards by district, industry and platform; staff adjustments and redemptions at
    a station (both through the ledger's services)."""
    adjust = AdjustForm(prefix="adjust")
    redeem = RedeemForm(prefix="redeem", user=request.user)
    if request.method == "POST":
        if "adjust-volunteer" in request.POST and request.user.has_perm("grid.add_pointsentry"):
            adjust = AdjustForm(request.POST, prefix="adjust")
            if adjust.is_valid():
                try:
                    services.points_adjust(actor=request.user, **adjust.cleaned_data)
                    messages.success(request, _t("The adjustment is on the ledger."))
                    return redirect("grid:points")
                except ValidationError as exc:
                    _apply_errors(adjust, exc)
        elif "redeem-volunteer" in request.POST and request.user.has_perm("grid.add_redemption"):
            redeem = RedeemForm(request.POST, prefix="redeem", user=request.user)
            if redeem.is_valid():
                try:
                    services.reward_redeem(actor=request.user, **redeem.cleaned_data)
                    messages.success(
                        request, _t("Redeemed; the stock and the balance are updated.")
                    )
                    return redirect("grid:points")
                except ValidationError as exc:
                    _apply_errors(redeem, exc)
    boards = [
        (label, selectors.leaderboard(request.user, by))
        for by, (_path, label) in selectors.LEADERBOARD_BY.items()
    ]
    return render(
        request,
        "grid/points.html",
        {
            "title": _t("Points"),
            "boards": boards,
            "top": selectors.top_volunteers(request.user),
            "adjust": adjust,
            "redeem": redeem,
        },
        status=400 if request.method == "POST" else 200,
    )
