"""Writes for stations: validated, scope-checked and audited in one transaction each.

The compliance verdict is derived here (``station_refresh_compliance``) whenever facilities
change; the service-circle job is queued with ``service_circle_queue`` and run by
``service_circle_run`` (called from the Celery task).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, writes
from core.choices import AuditAction
from core.jobs import enqueue_on_commit, job_create, job_progress
from core.models import JobRun
from members.models import Worker
from organizations import scoping
from organizations.models import Region

from . import circle
from .choices import StationStatus
from .compliance import Verdict, verdict
from .directory import directory_changed
from .hours import local
from .models import (
    CabinetStock,
    CheckIn,
    Facility,
    HotSpotCell,
    MedicineCabinet,
    OpeningHours,
    Restock,
    ServiceCircleSnapshot,
    Station,
    StationFacility,
    SuggestedSite,
)

CIRCLE_JOB = "stations.service_circle"


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


# --- stations --------------------------------------------------------------------------------


def station_verdict(station: Station) -> Verdict:
    """The 6+X verdict of ``station`` from its facility rows (prefetched when listed)."""
    present = [row.facility for row in station.facility_rows.all()]
    return verdict(present, Facility.objects.all())


def station_refresh_compliance(*, station: Station) -> bool:
    """Recompute and store ``station.compliant``; return it."""
    station.compliant = station_verdict(station).compliant
    Station.objects.filter(pk=station.pk).update(compliant=station.compliant)
    directory_changed()  # an UPDATE sends no signal
    return station.compliant


def stations_refresh_compliance(*, stations: QuerySet[Station] | None = None) -> int:
    """Recompute the stored verdict of many stations with two queries and two updates."""
    queryset = Station.objects.all() if stations is None else stations
    catalogue = list(Facility.objects.all())
    by_id = {f.pk: f for f in catalogue}
    present: dict[int, list[Facility]] = defaultdict(list)
    ids = list(queryset.values_list("pk", flat=True))
    for station_id, facility_id in StationFacility.objects.filter(station_id__in=ids).values_list(
        "station_id", "facility_id"
    ):
        present[station_id].append(by_id[facility_id])
    good = [sid for sid in ids if verdict(present[sid], catalogue).compliant]
    Station.objects.filter(pk__in=ids).update(compliant=False)
    Station.objects.filter(pk__in=good).update(compliant=True)
    directory_changed()
    return len(ids)


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Concrete fields vs. the related parts a face may send along."""
    data = dict(data)
    related = {k: data.pop(k) for k in ("industries", "facilities", "opening_hours") if k in data}
    return data, related


def _apply_related(actor: Any, station: Station, related: dict[str, Any]) -> None:
    if "industries" in related:
        station.industries.set(related["industries"])
    if "facilities" in related:
        station_set_facilities(actor=actor, station=station, facilities=related["facilities"])
    if "opening_hours" in related:
        station_set_hours(actor=actor, station=station, rows=related["opening_hours"])


def station_create(*, actor: Any, data: dict[str, Any]) -> Station:
    """Create a station (with its groups served, facilities and hours if given)."""
    fields, related = _split(data)
    with transaction.atomic():
        station = writes.create(actor=actor, model=Station, data=fields, check=_check)
        _apply_related(actor, station, related)
        station_refresh_compliance(station=station)
    return station


def station_update(*, actor: Any, station: Station, data: dict[str, Any]) -> Station:
    fields, related = _split(data)
    with transaction.atomic():
        station = writes.update(actor=actor, instance=station, data=fields, check=_check)
        _apply_related(actor, station, related)
        station_refresh_compliance(station=station)
    return station


def station_delete(*, actor: Any, station: Station) -> None:
    writes.delete(actor=actor, instance=station, check=_check)


def station_set_facilities(
    *, actor: Any, station: Station, facilities: Iterable[Facility | str]
) -> Verdict:
    """Replace the station's facilities (objects or codes) and re-derive its verdict."""
    wanted = [f if isinstance(f, Facility) else None for f in facilities]
    codes = [f for f in facilities if isinstance(f, str)]
    if codes:
        found = {f.code: f for f in Facility.objects.filter(code__in=codes)}
        unknown = sorted(set(codes) - set(found))
        if unknown:
            raise ValidationError(
                {"facilities": _("Unknown facility: %(codes)s") % {"codes": ", ".join(unknown)}}
            )
        wanted = [f for f in wanted if f is not None] + [found[c] for c in codes]
    with transaction.atomic():
        _check(actor, station, frozenset())
        before = sorted(station.facility_rows.values_list("facility__code", flat=True))
        StationFacility.objects.filter(station=station).exclude(
            facility__in=[f for f in wanted if f is not None]
        ).delete()
        have = set(station.facility_rows.values_list("facility_id", flat=True))
        StationFacility.objects.bulk_create(
            [StationFacility(station=station, facility=f) for f in wanted if f.pk not in have]
        )
        after = sorted({f.code for f in wanted if f is not None})
        if before != after:
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=station,
                changes={"facilities": [before, after]},
                verb="set_facilities",
            )
        station_refresh_compliance(station=station)
    return station_verdict(station)


def station_set_hours(*, actor: Any, station: Station, rows: Iterable[dict[str, Any]]) -> None:
    """Replace the weekly opening hours (``weekday``, ``opens``, ``closes`` per row)."""
    with transaction.atomic():
        _check(actor, station, frozenset())
        station.opening_hours.all().delete()
        objs = []
        for n, row in enumerate(rows, start=1):
            obj = OpeningHours(station=station, **row)
            try:
                obj.full_clean()
            except ValidationError as exc:
                raise ValidationError(
                    {"opening_hours": [f"{n}: {m}" for m in exc.messages]}
                ) from None
            objs.append(obj)
        OpeningHours.objects.bulk_create(objs)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=station,
            changes={"opening_hours": [None, [str(o) for o in objs]]},
            verb="set_hours",
        )


def station_facility_create(*, actor: Any, data: dict[str, Any]) -> StationFacility:
    """Add one facility row (the admin's inline) and re-derive the station's verdict."""
    with transaction.atomic():
        row = writes.create(actor=actor, model=StationFacility, data=data, check=_check)
        station_refresh_compliance(station=row.station)
    return row


def station_facility_update(*, actor: Any, station_facility: StationFacility, data: dict[str, Any]):
    with transaction.atomic():
        row = writes.update(actor=actor, instance=station_facility, data=data, check=_check)
        station_refresh_compliance(station=row.station)
    return row


def station_facility_delete(*, actor: Any, station_facility: StationFacility) -> None:
    with transaction.atomic():
        writes.delete(actor=actor, instance=station_facility, check=_check)
        station_refresh_compliance(station=station_facility.station)


opening_hours_create, opening_hours_update, opening_hours_delete = writes.crud(
    OpeningHours, "opening_hours", check=_check
)


# --- cabinets ----------------------------------------------------------------------------------


cabinet_create, cabinet_update, cabinet_delete = writes.crud(
    MedicineCabinet, "cabinet", check=_check
)


def stock_create(*, actor: Any, data: dict[str, Any]) -> CabinetStock:
    return writes.create(actor=actor, model=CabinetStock, data=data, check=_check)


def stock_update(*, actor: Any, stock: CabinetStock, data: dict[str, Any]) -> CabinetStock:
    """Change a stock item; a higher quantity is a restocking and is recorded as one."""
    data = dict(data)
    wanted = data.pop("quantity", stock.quantity)
    added = wanted - stock.quantity if isinstance(wanted, int) else 0
    with transaction.atomic():
        if added > 0:
            cabinet_restock(actor=actor, stock=stock, quantity=added)
        elif wanted != stock.quantity:
            data["quantity"] = wanted
        return writes.update(actor=actor, instance=stock, data=data, check=_check)


def stock_delete(*, actor: Any, stock: CabinetStock) -> None:
    writes.delete(actor=actor, instance=stock, check=_check)


def cabinet_restock(*, actor: Any, stock: CabinetStock, quantity: int) -> Restock:
    """Add ``quantity`` to a stock item and record who did it (an atomic increment)."""
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationError({"quantity": _("Add at least one.")})
    with transaction.atomic():
        _check(actor, stock, frozenset())
        CabinetStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + quantity)
        stock.refresh_from_db(fields=["quantity"])
        by = actor if getattr(actor, "is_authenticated", False) else None
        return writes.create(
            actor=actor,
            model=Restock,
            data={"stock": stock, "quantity": quantity, "by": by},
            verb="restock",
        )


# --- check-ins ---------------------------------------------------------------------------------


def checkin_record(
    *,
    actor: Any,
    station: Station,
    worker: Worker,
    channel: str,
    at: dt.datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Record a worker's visit; ``(check_in, created)``.

    Idempotent per worker, station and minute: a repeat within the same minute (a retried
    request, a double scan) returns the existing check-in with ``created`` False.
    """
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("A check-in cannot be in the future.")})
    if station.status != StationStatus.ACTIVE:
        raise ValidationError({"station": _("This station is not open for check-ins.")})
    if not scoping.visible(Worker, actor).filter(pk=worker.pk).exists():
        raise ValidationError({"worker": _("This worker is outside your scope.")})
    minute = at.replace(second=0, microsecond=0)
    existing = CheckIn.objects.filter(worker=worker, station=station, minute=minute).first()
    if existing is not None:
        return existing, False
    submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            check_in = writes.create(
                actor=actor,
                model=CheckIn,
                data={
                    "worker": worker,
                    "station": station,
                    "at": at,
                    "channel": channel,
                    "submitted_by": submitted_by,
                },
                verb="check_in",
                exclude_from_clean=["minute"],
            )
    except IntegrityError:
        # A concurrent twin won the race on the unique (worker, station, minute).
        return CheckIn.objects.get(worker=worker, station=station, minute=minute), False
    return check_in, True


# --- the service circle ------------------------------------------------------------------------


def circle_config() -> dict[str, Any]:
    return settings.SERVICE_CIRCLE


def service_circle_queue(
    *, actor: Any, facility_code: str = "", n_sites: int | None = None
) -> JobRun:
    """Queue a service-circle run (city-wide staff only); it starts after commit."""
    from .tasks import run_service_circle

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
