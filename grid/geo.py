"""h3 cells and distances for the grid (the integer API of h3: cells are 64-bit integers that
fit a ``BigIntegerField``)."""

from __future__ import annotations

import math

from h3.api import basic_int as h3

from . import conf

EARTH_RADIUS_M = 6_371_008.8


def resolution() -> int:
    return int(conf.get("GRID_H3_RESOLUTION"))


def cell_of(lat: float, lng: float, res: int | None = None) -> int:
    return h3.latlng_to_cell(lat, lng, res if res is not None else resolution())


def centre(cell: int) -> tuple[float, float]:
    return h3.cell_to_latlng(cell)


def rings_for(radius_m: float, res: int | None = None) -> int:
    """The k of the k-ring that covers a circle of ``radius_m`` around a point of the centre
    cell (an h3 cell's centres are ~√3 × edge apart; one ring more covers the centre cell's
    own extent)."""
    edge = h3.average_hexagon_edge_length(res if res is not None else resolution(), unit="m")
    return max(1, math.ceil(radius_m / (edge * math.sqrt(3))) + 1)


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
