"""Reads of the grid: each takes the acting user and returns what their scope allows, except
the open-task directory (any volunteer may claim any open task of the city, as any rider may
check in at any station)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Region
from organizations.scoping import visible

from . import conf, geo
from .choices import WORKING, ClaimStatus, EntryKind, TaskStatus, VolunteerStatus
from .models import Campaign, Claim, PointsAccount, PointsEntry, Task, Volunteer, VolunteerCell


def tasks_for(user: Any) -> QuerySet[Task]:
    return visible(Task, user).select_related("region", "organization", "campaign")


def volunteers_for(user: Any) -> QuerySet[Volunteer]:
    return visible(Volunteer, user).select_related("worker", "account")


def claims_for(user: Any) -> QuerySet[Claim]:
    return visible(Claim, user).select_related("task", "volunteer__worker")


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    return visible(Campaign, user).select_related("region", "organization")


def open_tasks() -> QuerySet[Task]:
    """The directory of open tasks (what a volunteer may claim)."""
    return Task.objects.filter(status=TaskStatus.OPEN, ends_at__gt=timezone.now())


def verification_queue(user: Any) -> QuerySet[Claim]:
    """Proof waiting for the actor's side (tasks in scope), flagged first, oldest first."""
    tasks = visible(Task, user).values("pk")
    return (
        Claim.objects.filter(status=ClaimStatus.SUBMITTED, task__in=tasks)
        .select_related("task", "volunteer__worker", "photo")
        .defer("photo__data")
        .order_by("-flag_too_far", "-flag_outside_window", "submitted_at", "id")
    )


NEAR_FIELDS = (
    "id",
    "title",
    "kind",
    "place",
    "lat",
    "lng",
    "starts_at",
    "ends_at",
    "slots",
    "filled",
    "points",
    "skill",
    "proof_photo",
    "proof_location",
    "proof_code",
)


def tasks_near(
    *, lat: float, lng: float, radius_m: float | None = None, limit: int = 20, skill: str = ""
) -> list[dict[str, Any]]:
    """Open tasks within ``radius_m`` of the point, nearest first, each with ``distance_m``.

    The look-up is on the indexed h3 cell of open tasks: the cells of the k-ring covering the
    circle, then the nearest ``limit`` of those rows by an equirectangular distance (exact
    enough at a city's scale to order by); the haversine distance is returned."""
    radius_m = radius_m or float(conf.get("GRID_NEAR_RADIUS_M"))
    cells = geo.disk(geo.cell_of(lat, lng), geo.rings_for(radius_m))
    k = math.cos(math.radians(lat))
    d2 = (F("lat") - Value(lat)) * (F("lat") - Value(lat)) + (F("lng") - Value(lng)) * (
        F("lng") - Value(lng)
    ) * Value(k * k)
    qs = open_tasks().filter(cell__in=cells)
    if skill:
        qs = qs.filter(Q(skill=skill) | Q(skill=""))
    rows = list(qs.annotate(d2=d2).order_by("d2", "id").values(*NEAR_FIELDS)[:limit])
    out = []
    for row in rows:
        distance = geo.distance_m(lat, lng, row["lat"], row["lng"])
        if distance <= radius_m:
            row["distance_m"] = round(distance)
            out.append(row)
    return out


def best_volunteers(task: Task, count: int) -> list[tuple[int, int]]:
    """``(volunteer id, ring)`` of the ``count`` most suitable volunteers for ``task``: ring by
    ring outwards from the task's cell, keeping active volunteers with the task's skill, below
    the load limit, not already on the task; within a ring the least loaded first.

    Each step reads the volunteers' cells of a band of rings through the cell index, then
    those volunteers by primary key (two indexed look-ups; a join would let a planner start
    from the volunteers instead)."""
    max_load = int(conf.get("GRID_MAX_LOAD"))
    max_rings = geo.rings_for(float(conf.get("GRID_NEAR_MAX_RADIUS_M")))
    on_task = set(Claim.objects.filter(task=task).values_list("volunteer_id", flat=True))
    chosen: dict[int, int] = {}
    done = -1
    for k in sorted({1, 3, 6, max_rings}):
        if k > max_rings:
            break
        ring_of = {c: r for r in range(done + 1, k + 1) for c in geo.ring(task.cell, r)}
        done = k
        nearest: dict[int, int] = {}
        for vid, cell in VolunteerCell.objects.filter(cell__in=list(ring_of)).values_list(
            "volunteer_id", "cell"
        ):
            if vid not in on_task and vid not in chosen:
                ring = ring_of[cell]
                if ring < nearest.get(vid, ring + 1):
                    nearest[vid] = ring
        if not nearest:
            continue
        qs = Volunteer.objects.filter(
            pk__in=list(nearest), status=VolunteerStatus.ACTIVE, load__lt=max_load
        )
        if task.skill:
            qs = qs.filter(skills__contains=f",{task.skill},")
        ranked = sorted((nearest[vid], load, vid) for vid, load in qs.values_list("pk", "load"))
        for ring, _load, vid in ranked:
            chosen[vid] = ring
            if len(chosen) >= count:
                return list(chosen.items())
    return list(chosen.items())


# --- points ------------------------------------------------------------------------------------


def statement(volunteer: Volunteer, since: dt.date | None = None) -> QuerySet[PointsEntry]:
    qs = PointsEntry.objects.filter(account__volunteer=volunteer).select_related(
        "claim__task", "redemption__item__station"
    )
    if since:
        qs = qs.filter(at__date__gte=since)
    return qs.order_by("-at", "-id")


LEADERBOARD_BY = {
    "district": ("volunteer__worker__region__parent__name", gettext_lazy("District")),
    "industry": ("volunteer__worker__industry__name", gettext_lazy("Industry")),
    "platform": ("volunteer__worker__platform__name", gettext_lazy("Platform")),
}


def leaderboard(user: Any, by: str, year: int | None = None, limit: int = 20) -> list[dict]:
    """Points earned this year by district (the region's parent), industry or platform."""
    path, _label = LEADERBOARD_BY.get(by, LEADERBOARD_BY["district"])
    year = year or timezone.localdate().year
    accounts = visible(PointsAccount, user)
    rows = (
        PointsEntry.objects.filter(
            account__in=accounts.values("pk"), kind=EntryKind.EARNED, at__year=year
        )
        .values(name=F(path.replace("volunteer__", "account__volunteer__")))
        .annotate(points=Sum("points"), volunteers=Count("account", distinct=True))
        .order_by("-points")[:limit]
    )
    return [
        {"name": r["name"] or _("(none)"), **{k: r[k] for k in ("points", "volunteers")}}
        for r in rows
    ]


def top_volunteers(user: Any, limit: int = 10) -> QuerySet[PointsAccount]:
    return (
        visible(PointsAccount, user)
        .select_related("volunteer__worker")
        .order_by("-earned_total", "id")[:limit]
    )


# --- campaigns and the dashboard ---------------------------------------------------------------


def _district(region_id: int | None, regions: dict[int, Region]) -> str:
    region = regions.get(region_id)
    while region is not None and region.level not in ("district", "city"):
        region = regions.get(region.parent_id)
    return region.name if region is not None else ""


def campaign_figures(campaign: Campaign) -> dict[str, Any]:
    """Mobilisation: volunteers on the campaign's tasks, tasks by status, by district."""
    tasks = Task.objects.filter(campaign=campaign)
    by_status = dict(tasks.values_list("status").annotate(n=Count("id")))
    holding = Claim.objects.filter(
        task__campaign=campaign, status__in=(*WORKING, ClaimStatus.VERIFIED)
    )
    volunteers = holding.values("volunteer").distinct().count()
    per_region = tasks.values("region").annotate(
        tasks=Count("id", distinct=True),
        done=Count("id", filter=Q(status=TaskStatus.DONE), distinct=True),
        volunteers=Count(
            "claims__volunteer",
            filter=Q(claims__status__in=(*WORKING, ClaimStatus.VERIFIED)),
            distinct=True,
        ),
    )
    regions = {r.pk: r for r in Region.objects.only("pk", "name", "level", "parent_id")}
    districts: dict[str, dict[str, int]] = {}
    for row in per_region:
        name = _district(row["region"], regions) or "—"
        d = districts.setdefault(name, {"tasks": 0, "done": 0, "volunteers": 0})
        for key in d:
            d[key] += row[key]
    return {
        "target": campaign.target_volunteers,
        "volunteers": volunteers,
        "tasks": sum(by_status.values()),
        "by_status": by_status,
        "done": by_status.get(TaskStatus.DONE, 0),
        "points": holding.filter(status=ClaimStatus.VERIFIED).aggregate(
            p=Coalesce(Sum("points_awarded"), 0)
        )["p"],
        "districts": [{"name": k, **v} for k, v in sorted(districts.items())],
    }


def dashboard_figures(user: Any) -> list[dict[str, Any]]:
    """The grid's dashboard cards: active volunteers, open tasks, proof waiting, points
    earned this year (four queries)."""
    year = timezone.localdate().year
    note = _("%(year)d so far") % {"year": year}

    def card(key, title, value, url, card_note=""):
        return {
            "key": key,
            "title": title,
            "value": int(value or 0),
            "denominator": None,
            "url": url,
            "note": card_note,
        }

    earned = (
        visible(PointsEntry, user)
        .filter(kind=EntryKind.EARNED, at__year=year)
        .aggregate(p=Coalesce(Sum("points"), 0))["p"]
    )
    return [
        card(
            "grid_volunteers",
            _("Grid volunteers"),
            visible(Volunteer, user).filter(status=VolunteerStatus.ACTIVE).count(),
            reverse("grid:board"),
        ),
        card(
            "grid_open_tasks",
            _("Open grid tasks"),
            visible(Task, user).filter(status=TaskStatus.OPEN).count(),
            reverse("grid:board"),
        ),
        card(
            "grid_proof_waiting",
            _("Proof waiting"),
            verification_queue(user).count(),
            reverse("grid:queue"),
        ),
        card("grid_points", _("Points earned"), earned, reverse("grid:board"), note),
    ]
