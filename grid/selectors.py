"""Reads of the grid: each takes the acting user and returns what their scope allows, except
the open-task directory (any volunteer may claim any open task of the city, as any rider may
check in at any station)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Count, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.expressions import RawSQL
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
    """Open tasks within ``radius_m`` of the point, nearest first, each with ``distance_m``
    (haversine). On PostgreSQL a nearest-neighbour scan of a GiST index of the open tasks'
    places; elsewhere a widening k-ring look-up on the h3 cell index. Both give the same
    answer (tests run on both)."""
    radius_m = float(radius_m or conf.get("GRID_NEAR_RADIUS_M"))
    near = _near_knn if connections[Task.objects.db].vendor == "postgresql" else _near_rings
    rows = near(lat, lng, radius_m, limit, skill, timezone.now())
    return [row | {"distance_m": round(d)} for d, _pk, row in rows]


def _open_now(skill: str, now: dt.datetime) -> QuerySet[Task]:
    qs = Task.objects.filter(status=TaskStatus.OPEN, ends_at__gt=now)
    return qs.filter(Q(skill=skill) | Q(skill="")) if skill else qs


#: metres per degree of latitude (and of longitude at the equator)
M_PER_DEG = math.pi * geo.EARTH_RADIUS_M / 180
#: the expressions of the index ``grid_task_open_place`` (grid migration 0002): the place as a
#: PostgreSQL ``point`` (longitude, latitude in degrees) of the open tasks
KNN_DISTANCE = "point(lng, lat) <-> point(%s, %s)"
KNN_IN_BOX = "point(lng, lat) <@ box(point(%s, %s), point(%s, %s))"


def _near_knn(lat, lng, radius_m, limit, skill, now) -> list[tuple[float, int, dict]]:
    """The index orders by the plain distance in degrees, which stretches longitude by
    1 / cos(lat) against the ground: a ground distance is at least cos(lat) times the index
    distance. So when the ``limit``-th nearest on the ground of the first n rows by the
    index is nearer than cos(lat) × the n-th row's index distance, no row after it can be
    nearer and the answer is final; otherwise read 4 × as many. The box (of the radius,
    widened in longitude) bounds the scan where tasks are few."""
    cos = max(math.cos(math.radians(lat)), 0.01)
    dlat = radius_m / M_PER_DEG * 1.01
    dlng = min(dlat / cos, 180.0)
    box = RawSQL(
        KNN_IN_BOX, (lng - dlng, lat - dlat, lng + dlng, lat + dlat), output_field=BooleanField()
    )
    qs = (
        _open_now(skill, now)
        .filter(box)
        .annotate(knn=RawSQL(KNN_DISTANCE, (lng, lat), output_field=FloatField()))
        .order_by("knn")
    )
    n = limit * 2
    while True:
        rows = list(qs.values(*NEAR_FIELDS, "knn")[:n])
        found = sorted(
            (d, row["id"], row)
            for row in rows
            if (d := geo.distance_m(lat, lng, row["lat"], row["lng"])) <= radius_m
        )[:limit]
        if len(rows) < n or (
            len(found) == limit and found[-1][0] <= 0.99 * cos * rows[-1]["knn"] * M_PER_DEG
        ):
            for _d, _pk, row in found:
                del row["knn"]
            return found
        n *= 4


def _near_rings(lat, lng, radius_m, limit, skill, now) -> list[tuple[float, int, dict]]:
    """A k-ring look-up on the indexed h3 cell of tasks, widening: the disk of k rings around
    the point's cell, the nearest ``limit`` rows of it by an equirectangular distance (exact
    enough at a city's scale to order by); when the ``limit``-th of them lies within the circle
    that disk is sure to cover, nothing outside it can be nearer and the answer is final;
    otherwise the disk widens, up to the one covering ``radius_m``."""
    res = geo.task_resolution()
    origin = geo.task_cell(lat, lng)
    k_max = geo.rings_for(radius_m, res)
    cos2 = math.cos(math.radians(lat)) ** 2
    d2 = (F("lat") - Value(lat)) * (F("lat") - Value(lat)) + (F("lng") - Value(lng)) * (
        F("lng") - Value(lng)
    ) * Value(cos2)
    candidates: list[tuple[float, int, dict]] = []
    done = -1
    for k in sorted({k for k in (3, 6, 10, k_max) if k <= k_max}):
        # only the rings not read yet: the nearest 2 × limit of each band of rings, merged
        cells = [c for r in range(done + 1, k + 1) for c in geo.ring(origin, r)]
        done = k
        qs = _open_now(skill, now).filter(cell__in=cells)
        for row in qs.annotate(d2=d2).order_by("d2", "id").values(*NEAR_FIELDS)[: limit * 2]:
            distance = geo.distance_m(lat, lng, row["lat"], row["lng"])
            if distance <= radius_m:
                candidates.append((distance, row["id"], row))
        candidates.sort(key=lambda item: item[:2])  # by haversine
        del candidates[limit:]
        sure = min(geo.covered_radius_m(k, res), radius_m)
        if len(candidates) == limit and candidates[-1][0] <= sure:
            break
    return candidates


def best_volunteers(task: Task, count: int) -> list[tuple[int, int]]:
    """``(volunteer id, band)`` of the ``count`` most suitable volunteers for ``task``: nearest
    first, band by band outwards (band 0: volunteers who cover the task's own cell, i.e. whose
    home is within one ring of it; then rings 1–2, 3–5, … around it), keeping active
    volunteers with the task's skill, below the load limit, not already on the task; within a
    band the least loaded first. Each band is one look-up on the ``(cell, rank, volunteer)``
    index of the volunteers' cells, with a ``LIMIT``."""
    max_load = int(conf.get("GRID_MAX_LOAD"))
    origin = geo.cell_of(task.lat, task.lng)
    max_rings = geo.rings_for(float(conf.get("GRID_NEAR_MAX_RADIUS_M")))
    skip = set(Claim.objects.filter(task=task).values_list("volunteer_id", flat=True))
    chosen: dict[int, int] = {}
    bands = [(0, 0), (1, 2), (3, 5), (6, max_rings)]
    for band, (first, last) in enumerate(bands):
        if first > max_rings:
            break
        cells = [c for r in range(first, min(last, max_rings) + 1) for c in geo.ring(origin, r)]
        # the volunteers' cells alone (load and skills are copied there): no join
        qs = VolunteerCell.objects.filter(cell__in=cells, rank__lt=max_load)
        if task.skill:
            qs = qs.filter(skills__contains=f",{task.skill},")
        if skip or chosen:
            qs = qs.exclude(volunteer_id__in=[*skip, *chosen])
        need = count - len(chosen)
        rows = qs.order_by("rank", "volunteer_id").values_list("volunteer_id", flat=True)
        # band 0 is one cell (a volunteer once); a wider band may list a volunteer once per
        # cell (at most 7): read enough rows and keep the first of each
        for vid in rows[: need if band == 0 else need * 7]:
            if vid not in chosen:
                chosen[vid] = band
                if len(chosen) >= count:
                    break
        if len(chosen) >= count:
            break
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
