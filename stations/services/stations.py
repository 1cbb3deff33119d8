"""Stations, their facilities (the compliance verdict derived whenever they change) and opening
hours."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import audit, writes
from core.choices import AuditAction
from organizations.scoping import ensure_in_scope

from ..compliance import Verdict, verdict
from ..directory import directory_changed
from ..models import (
    Facility,
    OpeningHours,
    Station,
    StationFacility,
)


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
        station = writes.create(actor=actor, model=Station, data=fields, check=ensure_in_scope)
        _apply_related(actor, station, related)
        station_refresh_compliance(station=station)
    return station


def station_update(*, actor: Any, station: Station, data: dict[str, Any]) -> Station:
    fields, related = _split(data)
    with transaction.atomic():
        station = writes.update(actor=actor, instance=station, data=fields, check=ensure_in_scope)
        _apply_related(actor, station, related)
        station_refresh_compliance(station=station)
    return station


def station_delete(*, actor: Any, station: Station) -> None:
    writes.delete(actor=actor, instance=station, check=ensure_in_scope)


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
        ensure_in_scope(actor, station, frozenset())
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
        ensure_in_scope(actor, station, frozenset())
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
        row = writes.create(actor=actor, model=StationFacility, data=data, check=ensure_in_scope)
        station_refresh_compliance(station=row.station)
    return row


def station_facility_update(*, actor: Any, station_facility: StationFacility, data: dict[str, Any]):
    with transaction.atomic():
        row = writes.update(
            actor=actor, instance=station_facility, data=data, check=ensure_in_scope
        )
        station_refresh_compliance(station=row.station)
    return row


def station_facility_delete(*, actor: Any, station_facility: StationFacility) -> None:
    with transaction.atomic():
        writes.delete(actor=actor, instance=station_facility, check=ensure_in_scope)
        station_refresh_compliance(station=station_facility.station)


opening_hours_create, opening_hours_update, opening_hours_delete = writes.crud(
    OpeningHours, "opening_hours", check=ensure_in_scope
)
