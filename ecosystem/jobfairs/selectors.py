"""Reads of the job fairs, scoped, and their figures.

**Positions matched** = job applications in the state HIRED (one person hired into one
position of a fair), counted from the records in the user's scope; see ``models``.

Open positions are published: every signed-in user with the view permission (partner apps
among them) reads the open positions of all fairs (``published_positions``), as a job seeker
would on the live stream. Everything else — closed positions, applications, the figures — is
scoped (``positions_for``, ``applications_for``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.choices import RegionLevel
from organizations.models import Region
from organizations.scoping import restrict, visible

from .choices import ApplicationStatus, JobIndustry, PositionStatus
from .models import Employer, FairParticipation, JobApplication, JobFair, Position

HIRED = ApplicationStatus.HIRED


def fairs_for(user: Any) -> QuerySet[JobFair]:
    """Fairs in scope with their employers, openings, applications and matches (hires)."""
    return (
        visible(JobFair, user)
        .select_related("host_organization", "region")
        .annotate(employer_count=Count("participations", distinct=True))
    )


def fair_figures(fairs: QuerySet[JobFair]) -> dict[int, dict[str, int]]:
    """``{fair id: {positions, openings, applications, matched}}`` for the given fairs (two
    queries, whatever their number)."""
    ids = list(fairs.values_list("pk", flat=True))
    out = {pk: {"positions": 0, "openings": 0, "applications": 0, "matched": 0} for pk in ids}
    for row in (
        Position.objects.filter(fair_id__in=ids)
        .values("fair_id")
        .annotate(n=Count("pk"), openings=Sum("headcount"))
    ):
        out[row["fair_id"]].update(positions=row["n"], openings=row["openings"] or 0)
    for row in (
        JobApplication.objects.filter(position__fair_id__in=ids)
        .values("position__fair_id")
        .annotate(n=Count("pk"), matched=Count("pk", filter=Q(status=HIRED)))
    ):
        out[row["position__fair_id"]].update(applications=row["n"], matched=row["matched"])
    return out


def employers(user: Any) -> QuerySet[Employer]:
    return Employer.objects.select_related("region")


def positions_for(user: Any) -> QuerySet[Position]:
    return (
        visible(Position, user)
        .select_related("fair", "employer", "region")
        .annotate(hired=Count("applications", filter=Q(applications__status=HIRED)))
    )


def published_positions(user: Any) -> QuerySet[Position]:
    """Open positions of every fair (published; any signed-in user)."""
    if not getattr(user, "is_authenticated", False):
        return Position.objects.none()
    return (
        Position.objects.filter(status=PositionStatus.OPEN)
        .select_related("fair", "employer", "region")
        .annotate(hired=Count("applications", filter=Q(applications__status=HIRED)))
        .filter(hired__lt=F("headcount"))
    )


def open_positions_near(
    user: Any, *, lat: float, lng: float, km: float = 10.0, limit: int = 50
) -> list[Position]:
    """The open positions within ``km`` of (``lat``, ``lng``), nearest first, each with its
    ``distance_km``: a bounding box in SQL, the exact great-circle distance in Python."""
    dlat = km / 111.0
    dlng = km / max(111.0 * math.cos(math.radians(lat)), 1e-6)
    rows = published_positions(user).filter(
        lat__range=(lat - dlat, lat + dlat), lng__range=(lng - dlng, lng + dlng)
    )
    out = []
    for position in rows[:5000]:
        d = _haversine(lat, lng, position.lat, position.lng)
        if d <= km:
            position.distance_km = round(d, 2)
            out.append(position)
    out.sort(key=lambda p: (p.distance_km, p.pk))
    return out[:limit]


def _haversine(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def applications_for(user: Any) -> QuerySet[JobApplication]:
    return restrict(JobApplication.objects.all(), user).select_related(
        "position", "position__fair", "position__employer", "worker"
    )


@dataclass
class FairStats:
    totals: dict[str, int]
    by_event: list[dict[str, Any]] = field(default_factory=list)
    by_industry: list[dict[str, Any]] = field(default_factory=list)
    by_district: list[dict[str, Any]] = field(default_factory=list)
    by_month: list[dict[str, Any]] = field(default_factory=list)


def _districts() -> list[tuple[str, str]]:
    """(path, name) of the districts and zones, longest path first."""
    rows = Region.objects.filter(level__in=[RegionLevel.DISTRICT]).values_list("path", "name")
    return sorted(rows, key=lambda r: -len(r[0]))


def _district_of(path: str, districts: list[tuple[str, str]]) -> str:
    for prefix, name in districts:
        if path.startswith(prefix):
            return name
    return _("Other regions")


def fair_stats(user: Any, *, fairs: QuerySet[JobFair] | None = None) -> FairStats:
    """Figures of the fairs in scope (or the given, already filtered ``fairs``): the number
    of fairs, participating employers, positions and openings, applications, interviews,
    positions matched (hires), viewers; by event, by industry, by district (of the position)
    and by month (of the hire). A constant number of queries."""
    fairs = fairs if fairs is not None else visible(JobFair, user)
    fair_ids = fairs.values("pk")
    positions = Position.objects.filter(fair__in=fair_ids)
    applications = JobApplication.objects.filter(position__fair__in=fair_ids)
    fa = fairs.order_by().aggregate(fairs=Count("pk"), viewers=Coalesce(Sum("viewers"), 0))
    pa = positions.order_by().aggregate(n=Count("pk"), openings=Coalesce(Sum("headcount"), 0))
    aa = applications.order_by().aggregate(
        n=Count("pk"),
        interviewed=Count(
            "pk", filter=Q(interviewed_on__isnull=False) | Q(status=ApplicationStatus.INTERVIEWED)
        ),
        matched=Count("pk", filter=Q(status=HIRED)),
    )
    employers_n = (
        FairParticipation.objects.filter(fair__in=fair_ids).values("employer_id").distinct().count()
    )
    totals = {
        "fairs": fa["fairs"],
        "employers": employers_n,
        "positions": pa["n"],
        "openings": pa["openings"],
        "applications": aa["n"],
        "interviewed": aa["interviewed"],
        "matched": aa["matched"],
        "viewers": fa["viewers"],
    }
    events = list(fairs.order_by("-held_on", "-pk").values("pk", "title", "held_on", "viewers"))
    figures = fair_figures(fairs)
    employer_counts = dict(
        FairParticipation.objects.filter(fair__in=fair_ids)
        .values("fair_id")
        .annotate(n=Count("pk"))
        .values_list("fair_id", "n")
    )
    by_event = [
        {**e, **figures.get(e["pk"], {}), "employers": employer_counts.get(e["pk"], 0)}
        for e in events
    ]
    labels = dict(JobIndustry.choices)
    openings = dict(
        positions.order_by()
        .values("industry")
        .annotate(s=Sum("headcount"))
        .values_list("industry", "s")
    )
    by_industry = [
        {
            "code": row["position__industry"],
            "name": str(labels.get(row["position__industry"], row["position__industry"])),
            "openings": openings.get(row["position__industry"], 0) or 0,
            "applications": row["n"],
            "matched": row["matched"],
        }
        for row in applications.order_by()
        .values("position__industry")
        .annotate(n=Count("pk"), matched=Count("pk", filter=Q(status=HIRED)))
        .order_by("-matched")
    ]
    districts = _districts()
    by_district_map: dict[str, dict[str, Any]] = {}
    for row in (
        applications.order_by()
        .values("position__region__path")
        .annotate(n=Count("pk"), matched=Count("pk", filter=Q(status=HIRED)))
    ):
        name = _district_of(row["position__region__path"], districts)
        entry = by_district_map.setdefault(name, {"name": name, "applications": 0, "matched": 0})
        entry["applications"] += row["n"]
        entry["matched"] += row["matched"]
    by_district = sorted(by_district_map.values(), key=lambda r: (-r["matched"], r["name"]))
    by_month = [
        {"month": row["month"].strftime("%Y-%m"), "matched": row["n"]}
        for row in applications.filter(status=HIRED)
        .order_by()
        .annotate(month=TruncMonth("hired_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]
    return FairStats(totals, by_event, by_industry, by_district, by_month)


def dashboard_figures(user: Any) -> list[dict[str, Any]]:
    """Cards: fairs held, employers, positions matched (hires) of the openings offered."""
    t = fair_stats(user).totals
    url = reverse("ecosystem_jobfairs:stats")
    note = _("live-streamed job fairs in your scope")
    return [
        {
            "key": "jobfairs",
            "title": _("Job fairs held"),
            "value": t["fairs"],
            "denominator": None,
            "url": reverse("ecosystem_jobfairs:list"),
            "note": note,
        },
        {
            "key": "jobfair_employers",
            "title": _("Employers at job fairs"),
            "value": t["employers"],
            "denominator": None,
            "url": url,
            "note": note,
        },
        {
            "key": "positions_matched",
            "title": _("Positions matched (hires)"),
            "value": t["matched"],
            "denominator": t["openings"],
            "rate_label": _("of the openings offered"),
            "url": url,
            "note": note,
        },
    ]
