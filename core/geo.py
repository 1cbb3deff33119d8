"""Map geometry without a tile server: the vendored district outlines and street areas derived
from them.

The district outlines are the vendored boundary file (``portal/static/vendor/boundaries``, in
GCJ-02 as Chinese web maps are; its feature ids are the Region codes). No packaged source has
street (乡镇街道) boundaries, so :func:`street_areas` derives each street's *approximate*
area from the region data: the district is divided among its streets by their centres (a
Voronoi division, each street taking the part of its district nearer its centre than any
other street's), clipped to the district's outline. The result is marked ``approximate`` and
the maps say so: it shows where a street lies, not its legal boundary.

Geometry is Shapely's (GEOS); the outlines are read once per process.
"""

from __future__ import annotations

import functools
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import shapely
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from shapely import affinity
from shapely.geometry import MultiPoint, Point, mapping, shape

BOUNDARY_FILE = "vendor/boundaries/changzhou-districts.geojson"

#: How far (degrees, ~50 m) a derived outline may stray from the exact cut: keeps the
#: outlines small enough to send with the page.
SIMPLIFY = 0.0005

_A, _EE = 6378245.0, 0.00669342162296594323


def _t_lat(x: float, y: float) -> float:
    r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    r += (20 * math.sin(y * math.pi) + 40 * math.sin(y / 3 * math.pi)) * 2 / 3
    r += (160 * math.sin(y / 12 * math.pi) + 320 * math.sin(y * math.pi / 30)) * 2 / 3
    return r


def _t_lng(x: float, y: float) -> float:
    r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    r += (20 * math.sin(x * math.pi) + 40 * math.sin(x / 3 * math.pi)) * 2 / 3
    r += (150 * math.sin(x / 12 * math.pi) + 300 * math.sin(x / 30 * math.pi)) * 2 / 3
    return r


def wgs_to_gcj(lat: float, lng: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 (the published offset; the maps' JavaScript uses the same formula)."""
    d_lat, d_lng = _t_lat(lng - 105, lat - 35), _t_lng(lng - 105, lat - 35)
    rad = lat / 180 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sq = math.sqrt(magic)
    d_lat = (d_lat * 180) / ((_A * (1 - _EE)) / (magic * sq) * math.pi)
    d_lng = (d_lng * 180) / (_A / sq * math.cos(rad) * math.pi)
    return lat + d_lat, lng + d_lng


def map_labels() -> dict[str, str]:
    """The words of the maps' own controls (``portal/offline-map.js``: zoom buttons, the
    attribution prefix, the street areas' title), in the active language."""
    return {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "attributionPrefix": _("Map: Leaflet"),
        "approximate": _("(approximate area, not a legal boundary)"),
    }


@functools.lru_cache(maxsize=1)
def district_outlines() -> dict[str, Any]:
    """Region code → the district's outline (a Shapely geometry, GCJ-02 lng/lat)."""
    path = finders.find(BOUNDARY_FILE)
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return {str(f["id"]): _polygonal(shape(f["geometry"])) for f in data["features"]}


def _polygonal(geometry):
    """The polygons of ``geometry`` made valid (repairing a ring may leave stray lines or
    points, and a cut may too), as one (Multi)Polygon."""
    valid = shapely.make_valid(geometry)
    parts = [g for g in shapely.get_parts(valid) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def street_areas(streets: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The approximate areas of ``streets`` (dicts with ``code``, ``name`` and the ``lat`` /
    ``lng`` of their centre in WGS-84) as a GeoJSON FeatureCollection in GCJ-02, like the
    district file. A street's district is the first six digits of its code; a district gets
    areas only when at least two of its streets have a centre (one street alone would be
    drawn as the whole district)."""
    outlines = district_outlines()
    by_district: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for street in streets:
        if street.get("lat") is not None and street.get("lng") is not None:
            by_district[str(street["code"])[:6]].append(street)
    features = []
    for code, members in sorted(by_district.items()):
        outline = outlines.get(code)
        if outline is None or len(members) < 2:
            continue
        features += _divide(outline, members)
    return {"type": "FeatureCollection", "features": features}


def _divide(outline, streets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    centres = []
    seen = set()
    for street in sorted(streets, key=lambda s: str(s["code"])):
        lat, lng = wgs_to_gcj(float(street["lat"]), float(street["lng"]))
        key = (round(lng, 6), round(lat, 6))
        if key in seen:  # two streets at one point cannot be told apart: the first keeps it
            continue
        seen.add(key)
        centres.append((street, Point(lng, lat)))
    if len(centres) < 2:
        return []
    # Divide in a plane where a degree of longitude is as long as one of latitude here.
    stretch = math.cos(math.radians(outline.centroid.y))
    scaled = affinity.scale(outline, xfact=stretch, yfact=1, origin=(0, 0))
    points = MultiPoint(
        [affinity.scale(p, xfact=stretch, yfact=1, origin=(0, 0)) for _s, p in centres]
    )
    cells = shapely.voronoi_polygons(points, extend_to=scaled, ordered=True)
    features = []
    for (street, _point), cell in zip(centres, cells.geoms, strict=True):
        area = _polygonal(cell.intersection(scaled))
        if area.is_empty:
            continue
        area = affinity.scale(area, xfact=1 / stretch, yfact=1, origin=(0, 0))
        area = area.simplify(SIMPLIFY, preserve_topology=True)
        area = _polygonal(shapely.set_precision(area, 1e-5))
        if area.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "id": str(street["code"]),
                "properties": {"name": street["name"], "approximate": True},
                "geometry": mapping(area),
            }
        )
    return features
