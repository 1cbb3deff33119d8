"""The station directory in Open Referral HSDS form (Human Services Data Specification 3.0).

Tables: ``organization`` (each host enterprise or host party organization), ``service`` (one
per station: the station's 暖心服务 with its facilities), ``location`` (the station's place,
WGS-84), ``address``, ``service_at_location`` (service ↔ location) and ``schedule`` (weekly
hours, ``byday`` in iCal form; 24-hour stations have one row ``opens_at`` 00:00, ``closes_at``
23:59:59). Identifiers are UUIDv5 from stable keys, so a re-export keeps them.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterable
from typing import Any

from core.exports import SafeCsvDictWriter

from .choices import StationKind

NAMESPACE = uuid.UUID("6f0e8f8e-3d1c-5b7a-9c1e-2a4b6c8d0e1f")
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

COLUMNS = {
    "organization": ["id", "name", "description", "email", "website"],
    "service": ["id", "organization_id", "name", "description", "status", "attributes"],
    "location": [
        "id",
        "organization_id",
        "name",
        "location_type",
        "description",
        "latitude",
        "longitude",
    ],
    "address": [
        "id",
        "location_id",
        "address_1",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "service_at_location": ["id", "service_id", "location_id"],
    "schedule": [
        "id",
        "service_at_location_id",
        "freq",
        "byday",
        "opens_at",
        "closes_at",
        "description",
    ],
}


def _id(*parts: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def tables(stations: Iterable) -> dict[str, list[dict[str, Any]]]:
    """HSDS rows for ``stations`` (with host, region, facilities and hours prefetched)."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in COLUMNS}
    seen_orgs: set[str] = set()
    for station in stations:
        host = station.host_enterprise or station.host_organization
        host_key = ("enterprise", host.pk) if station.host_enterprise else ("party_org", host.pk)
        org_id = _id(*host_key)
        if org_id not in seen_orgs:
            seen_orgs.add(org_id)
            out["organization"].append(
                {"id": org_id, "name": host.name, "description": "", "email": "", "website": ""}
            )
        service_id, location_id = _id("service", station.pk), _id("location", station.pk)
        sal_id = _id("service_at_location", station.pk)
        facilities = [row.facility for row in station.facility_rows.all()]
        out["service"].append(
            {
                "id": service_id,
                "organization_id": org_id,
                "name": station.name,
                "description": f"{StationKind(station.kind).label}："
                + "、".join(f.name for f in facilities),
                "status": "active" if station.status == "active" else "inactive",
                "attributes": ";".join(f"facility:{f.code}" for f in facilities),
            }
        )
        out["location"].append(
            {
                "id": location_id,
                "organization_id": org_id,
                "name": station.name,
                "location_type": "physical",
                "description": str(StationKind(station.kind).label),
                "latitude": round(station.latitude, 7),
                "longitude": round(station.longitude, 7),
            }
        )
        out["address"].append(
            {
                "id": _id("address", station.pk),
                "location_id": location_id,
                "address_1": station.address,
                "city": "",
                "region": station.region.name,
                "state_province": "",
                "postal_code": "",
                "country": "CN",
                "address_type": "physical",
            }
        )
        out["service_at_location"].append(
            {"id": sal_id, "service_id": service_id, "location_id": location_id}
        )
        hours = (
            [(None, "00:00", "23:59:59", "24h")]
            if station.is_24h
            else [
                (h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}", "")
                for h in station.opening_hours.all()
            ]
        )
        for n, (weekday, opens, closes, note) in enumerate(hours):
            out["schedule"].append(
                {
                    "id": _id("schedule", station.pk, n),
                    "service_at_location_id": sal_id,
                    "freq": "WEEKLY",
                    "byday": ",".join(BYDAY) if weekday is None else BYDAY[weekday],
                    "opens_at": opens,
                    "closes_at": closes,
                    # HSDS has no overnight flag: closes_at < opens_at runs into the next day.
                    "description": note or ("overnight" if closes < opens else ""),
                }
            )
    return out


def zipped_csv(data: dict[str, list[dict[str, Any]]]) -> bytes:
    """One CSV per table (UTF-8 with BOM, so spreadsheet programs read the Chinese), zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, columns in COLUMNS.items():
            text = io.StringIO()
            writer = SafeCsvDictWriter(text, fieldnames=columns)
            writer.writeheader()
            writer.writerows(data[name])
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()
