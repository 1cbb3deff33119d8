"""h3 cells and distances for the grid (the integer API of h3: cells are 64-bit integers that
fit a ``BigIntegerField``)."""

from __future__ import annotations

import math

from h3.api import basic_int as h3

from . import conf

EARTH_RADIUS_M = 6_371_008.8


def resolution() -> int:
    return int(conf.get("GRID_H3_RESOLUTION"))


def task_resolution() -> int:
    return int(conf.get("GRID_TASK_H3_RESOLUTION"))


def task_cell(lat: float, lng: float) -> int:
    """The cell a task's place is indexed by (``GRID_TASK_H3_RESOLUTION``)."""
    return h3.latlng_to_cell(lat, lng, task_resolution())


#: The smallest hexagons of a resolution have edges down to ~0.7 of the average (their areas
#: vary about twofold over the globe); distances that must be safe use the smallest.
MIN_EDGE_SHARE = 0.7


def edge_m(res: int) -> float:
    """A lower bound of a cell's edge at ``res`` (metres)."""
    return MIN_EDGE_SHARE * h3.average_hexagon_edge_length(res, unit="m")


def covered_radius_m(k: int, res: int) -> float:
    """A circle of this radius around any point of a cell lies inside the cell's k-disk: a
    cell of ring k + 1 has its centre at least 1.5 (k + 1) of the smallest edges from the
    centre cell's, and the point and that cell each reach at most one of the largest edges
    (under 1.5 of the smallest) from their centres."""
    return max(0.0, (1.5 * k - 2.5) * edge_m(res))


def cell_of(lat: float, lng: float, res: int | None = None) -> int:
    return h3.latlng_to_cell(lat, lng, res if res is not None else resolution())


def centre(cell: int) -> tuple[float, float]:
    return h3.cell_to_latlng(cell)


def rings_for(radius_m: float, res: int | None = None) -> int:
    """The smallest k whose k-disk is sure to cover a circle of ``radius_m`` around any point
    of the centre cell (see :func:`covered_radius_m`)."""
    edge = edge_m(res if res is not None else resolution())
    return max(1, math.ceil((radius_m / edge + 2.5) / 1.5))


def disk(cell: int, k: int) -> list[int]:
    return list(h3.grid_disk(cell, k))


def ring(cell: int, k: int) -> list[int]:
    return list(h3.grid_ring(cell, k))


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def hex_to_int(value: str) -> int:
    return h3.str_to_int(value) if hasattr(h3, "str_to_int") else int(value, 16)
