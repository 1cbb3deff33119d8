"""The 10-minute service circle job: queued with ``service_circle_queue``, run by
``service_circle_run`` (the Celery task)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import enqueue_on_commit, job_create, job_progress
from core.models import JobRun
from members.models import Worker
from organizations import scoping
from organizations.models import Region

from .. import circle
from ..choices import StationStatus
from ..hours import local
from ..models import (
    Facility,
    HotSpotCell,
    ServiceCircleSnapshot,
    Station,
    SuggestedSite,
)

CIRCLE_JOB = "stations.service_circle"


def circle_config() -> dict[str, Any]:
    return settings.SERVICE_CIRCLE


def service_circle_queue(
    *, actor: Any, facility_code: str = "", n_sites: int | None = None
) -> JobRun:
    """Queue a service-circle run (city-wide staff only); it starts after commit."""
    from ..tasks import run_service_circle

    if not scoping.is_city_wide(actor):
        raise ValidationError(_("Only city-wide staff may run the service circle."))
    if facility_code and not Facility.objects.filter(code=facility_code).exists():
        raise ValidationError({"facility": _("Unknown facility.")})
    n_sites = circle_config().get("suggested_sites", 20) if n_sites is None else n_sites
    if not 0 <= n_sites <= 500:
        raise ValidationError({"n_sites": _("Between 0 and 500 suggested sites.")})
    with transaction.atomic():
        job = job_create(
            actor=actor,
            kind=CIRCLE_JOB,
            parameters={"facility": facility_code, "n_sites": n_sites},
        )
        enqueue_on_commit(run_service_circle, job.pk)
    return job


def latest_circle_job() -> JobRun | None:
    from core.choices import JobStatus

    return (
        JobRun.objects.filter(kind=CIRCLE_JOB, status=JobStatus.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .first()
    )


def _region_rollup(regions: dict[int, Region], leaf_ids: np.ndarray, values: np.ndarray):
    """Sum per-leaf values up every ancestor (the materialized path gives the ancestors)."""
    by_path = {r.path: r.pk for r in regions.values()}
    totals: dict[int, int] = defaultdict(int)
    for leaf, value in zip(leaf_ids.tolist(), values.tolist(), strict=True):
        region = regions.get(leaf)
        if region is None:
            continue
        for path in [*region.ancestors_paths(), region.path]:
            if path in by_path:
                totals[by_path[path]] += int(value)
    return totals


def service_circle_run(*, job: JobRun) -> dict[str, Any]:
    """Compute coverage, hot spots and suggested sites from the active workers' work locations
    and the active stations; store snapshots (today, Asia/Shanghai), cells and sites for
    ``job``. Running it again for the same job replaces that job's rows."""
    config = circle_config()
    radius = circle.travel_radius_m(config)
    resolution = int(config.get("h3_resolution", 8))
    facility_code = job.parameters.get("facility") or ""
    n_sites = int(job.parameters.get("n_sites", config.get("suggested_sites", 20)))
    facility = Facility.objects.filter(code=facility_code).first() if facility_code else None

    stations = Station.objects.filter(status=StationStatus.ACTIVE)
    if facility is not None:
        stations = stations.filter(facility_rows__facility=facility)
    s = np.array(list(stations.values_list("latitude", "longitude")), dtype=np.float64)
    s = s.reshape(-1, 2)
    rows = list(
        Worker.objects.filter(active=True, work_lat__isnull=False, work_lng__isnull=False)
        .values_list("work_lat", "work_lng", "region_id", "industry_id")
        .order_by()
    )
    job_progress(job, done=1)
    w = np.array([(r[0], r[1]) for r in rows], dtype=np.float64).reshape(-1, 2)
    region_of = np.array([r[2] or -1 for r in rows], dtype=np.int64)
    industry_of = np.array([r[3] or -1 for r in rows], dtype=np.int64)

    covered = circle.covered_within(circle.StationIndex(s[:, 0], s[:, 1]), w[:, 0], w[:, 1], radius)
    job_progress(job, done=2)

    today = local(timezone.now()).date()
    regions = {r.pk: r for r in Region.objects.all()}
    snapshots = []
    common = {"job": job, "date": today, "mode": config["mode"], "radius_m": round(radius)}
    common["facility"] = facility
    leaf_ids, inverse = np.unique(region_of, return_inverse=True)
    num, den = circle.shares(covered, inverse, len(leaf_ids))
    num_by_region = _region_rollup(regions, leaf_ids, num)
    den_by_region = _region_rollup(regions, leaf_ids, den)
    for region_id, denominator in den_by_region.items():
        snapshots.append(
            ServiceCircleSnapshot(
                region_id=region_id,
                numerator=num_by_region[region_id],
                denominator=denominator,
                **common,
            )
        )
    ind_ids, ind_inverse = np.unique(industry_of, return_inverse=True)
    num, den = circle.shares(covered, ind_inverse, len(ind_ids))
    for industry_id, n, d in zip(ind_ids.tolist(), num.tolist(), den.tolist(), strict=True):
        if industry_id >= 0:
            snapshots.append(
                ServiceCircleSnapshot(industry_id=industry_id, numerator=n, denominator=d, **common)
            )
            # Region × industry: what an industry committee's secretary sees (their industry in
            # their region; ``ServiceCircleSnapshot.scope``).
            mine = industry_of == industry_id
            sub_ids, sub_inverse = np.unique(region_of[mine], return_inverse=True)
            sub_num, sub_den = circle.shares(covered[mine], sub_inverse, len(sub_ids))
            sub_num_by_region = _region_rollup(regions, sub_ids, sub_num)
            for region_id, denominator in _region_rollup(regions, sub_ids, sub_den).items():
                snapshots.append(
                    ServiceCircleSnapshot(
                        region_id=region_id,
                        industry_id=industry_id,
                        numerator=sub_num_by_region[region_id],
                        denominator=denominator,
                        **common,
                    )
                )

    # Hot spots and suggested sites for all workers, then for each industry's (what an
    # industry committee's secretary sees: their industry's uncovered workers).
    hot, suggested = _hot_spots_and_sites(
        job, w[~covered], region_of[~covered], None, resolution, radius, n_sites
    )
    for industry_id in ind_ids.tolist():
        if industry_id >= 0:
            mine = ~covered & (industry_of == industry_id)
            more_hot, more_sites = _hot_spots_and_sites(
                job, w[mine], region_of[mine], industry_id, resolution, radius, n_sites
            )
            hot += more_hot
            suggested += more_sites
    job_progress(job, done=3)
    with transaction.atomic():
        ServiceCircleSnapshot.objects.filter(job=job).delete()
        HotSpotCell.objects.filter(job=job).delete()
        SuggestedSite.objects.filter(job=job).delete()
        ServiceCircleSnapshot.objects.bulk_create(snapshots, batch_size=2000)
        HotSpotCell.objects.bulk_create(hot, batch_size=2000)
        SuggestedSite.objects.bulk_create(suggested)
    return {
        "workers": len(rows),
        "covered": int(covered.sum()),
        "stations": len(s),
        "radius_m": round(radius),
        "hot_spot_cells": sum(1 for x in hot if x.industry_id is None),
        "suggested_sites": sum(1 for x in suggested if x.industry_id is None),
        "newly_covered": sum(x.newly_covered for x in suggested if x.industry_id is None),
    }


def _hot_spots_and_sites(
    job: JobRun,
    points: np.ndarray,
    regions: np.ndarray,
    industry_id: int | None,
    resolution: int,
    radius: float,
    n_sites: int,
) -> tuple[list[HotSpotCell], list[SuggestedSite]]:
    """The uncovered ``points`` (lat, lng rows, with their workers' ``regions``) as hot-spot
    cells, and the greedy suggested sites over them; rows of ``industry_id`` (None: all)."""
    uncovered_lat, uncovered_lng = points[:, 0], points[:, 1]
    cells = circle.cells_of(uncovered_lat, uncovered_lng, resolution)
    # A cell's region: the one most of its uncovered workers work in.
    cell_region: dict[int, int] = {}
    if len(cells.ids):
        pairs = np.column_stack((cells.inverse, regions))
        uniq, counts = np.unique(pairs, axis=0, return_counts=True)
        best: dict[int, tuple[int, int]] = {}
        for (cell_i, region_id), n in zip(uniq.tolist(), counts.tolist(), strict=True):
            if region_id >= 0 and n > best.get(cell_i, (0, -1))[0]:
                best[cell_i] = (n, region_id)
        cell_region = {k: v[1] for k, v in best.items()}
    names = cells.names()
    hot = [
        HotSpotCell(
            job=job,
            cell=names[i],
            resolution=resolution,
            latitude=float(cells.lat[i]),
            longitude=float(cells.lng[i]),
            workers=int(cells.counts[i]),
            region_id=cell_region.get(i),
            industry_id=industry_id,
        )
        for i in range(len(names))
    ]
    sites = circle.greedy_sites(
        uncovered_lat, uncovered_lng, n_sites=n_sites, radius_m=radius, resolution=resolution
    )
    cell_index = {int(c): i for i, c in enumerate(cells.ids)}
    suggested = [
        SuggestedSite(
            job=job,
            rank=rank,
            cell=circle.h3.int_to_str(site.cell),
            latitude=site.lat,
            longitude=site.lng,
            newly_covered=site.newly_covered,
            region_id=cell_region.get(cell_index.get(site.cell, -1)),
            industry_id=industry_id,
        )
        for rank, site in enumerate(sites, start=1)
    ]
    return hot, suggested
