"""The service-circle engine: pure numpy / scipy / h3, no Django.

Points are WGS-84 degrees, treated on a sphere of radius :data:`EARTH_RADIUS_M` (the mean
radius; the same sphere as :func:`haversine_m`). Nearest-station search uses a k-d tree on 3-D
unit vectors: the straight-line (chord) distance between unit vectors is monotone in the
great-circle distance, so the nearest by chord is the nearest on the sphere, and
``2 R asin(chord / 2)`` turns it back into metres exactly.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import h3
import h3.api.numpy_int as h3_int
import numpy as np


def _kd_tree(points: np.ndarray):
    # SciPy's spatial module is imported when a tree is built: importing it costs every
    # command and worker start 0.25 s, and only the circle's computations use it.
    from scipy.spatial import cKDTree

    return cKDTree(points)


EARTH_RADIUS_M = 6_371_008.8


def travel_radius_m(config: dict) -> float:
    """The circle's radius from ``settings.SERVICE_CIRCLE``: speed of the mode × minutes."""
    speed_kmh = config["speeds_kmh"][config["mode"]]
    return speed_kmh * 1000.0 / 60.0 * config["minutes"]


def unit_xyz(lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
    """``(n, 3)`` unit vectors of points given in degrees."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lng, dtype=np.float64))
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))


def chord_for_m(metres: float | np.ndarray) -> float | np.ndarray:
    return 2.0 * np.sin(np.asarray(metres) / (2.0 * EARTH_RADIUS_M))


def metres_for_chord(chord: np.ndarray) -> np.ndarray:
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0))


def haversine_m(lat1, lng1, lat2, lng2) -> np.ndarray:
    """Great-circle distance in metres (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlam = np.radians(np.asarray(lng2) - np.asarray(lng1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class StationIndex:
    """A k-d tree over stations, for nearest-station queries in metres."""

    def __init__(self, lat: np.ndarray, lng: np.ndarray):
        self.size = len(lat)
        self.tree = _kd_tree(unit_xyz(lat, lng)) if self.size else None

    def nearest(
        self, lat: np.ndarray, lng: np.ndarray, *, within_m: float | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(distance_m, station_index)`` of each point's nearest station.

        With ``within_m`` only stations that close are looked for (much faster where most
        points are far from any station): a point with none gets ``inf`` and -1, as it does
        when there are no stations at all.
        """
        n = len(lat)
        if self.tree is None:
            return np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
        lat, lng = np.asarray(lat, dtype=np.float64), np.asarray(lng, dtype=np.float64)
        # Query in spatial order (≈1 km grid, row by row): neighbouring queries walk the same
        # branches of the tree, which is markedly faster than a random order.
        order = np.argsort(
            np.floor(lat * 100).astype(np.int64) * 100_000 + np.floor(lng * 100).astype(np.int64)
        )
        bound = np.inf if within_m is None else float(chord_for_m(within_m)) * (1 + 1e-12)
        chord, idx = self.tree.query(
            unit_xyz(lat[order], lng[order]), k=1, workers=-1, distance_upper_bound=bound
        )
        distance = np.empty(n)
        station = np.empty(n, dtype=np.int64)
        distance[order] = metres_for_chord(np.where(np.isinf(chord), 2.0, chord))
        distance[order[np.isinf(chord)]] = np.inf
        station[order] = np.where(idx >= self.size, -1, idx)
        return distance, station


def brute_force_nearest(lat, lng, station_lat, station_lng, chunk: int = 500):
    """The reference: haversine from every point to every station (for tests and bench)."""
    out_d = np.empty(len(lat))
    out_i = np.empty(len(lat), dtype=np.int64)
    s_lat = np.asarray(station_lat)[None, :]
    s_lng = np.asarray(station_lng)[None, :]
    for start in range(0, len(lat), chunk):
        stop = start + chunk
        d = haversine_m(
            np.asarray(lat[start:stop])[:, None], np.asarray(lng[start:stop])[:, None], s_lat, s_lng
        )
        out_i[start:stop] = d.argmin(axis=1)
        out_d[start:stop] = d[np.arange(d.shape[0]), out_i[start:stop]]
    return out_d, out_i


def shares(covered: np.ndarray, group: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """``(numerators, denominators)`` per group index (``group`` < 0 is left out)."""
    keep = group >= 0
    g = group[keep]
    den = np.bincount(g, minlength=n_groups)
    num = np.bincount(g, weights=covered[keep].astype(np.int64), minlength=n_groups)
    return num.astype(np.int64), den.astype(np.int64)


@dataclass(frozen=True)
class Cells:
    """Points grouped into h3 cells: cell ids (int), counts, the inverse map and centres."""

    ids: np.ndarray
    counts: np.ndarray
    inverse: np.ndarray
    lat: np.ndarray
    lng: np.ndarray

    def names(self) -> list[str]:
        return [h3.int_to_str(int(c)) for c in self.ids]


def cells_of(lat: np.ndarray, lng: np.ndarray, resolution: int) -> Cells:
    """Group points by h3 cell at ``resolution``."""
    raw = np.fromiter(
        (
            h3_int.latlng_to_cell(a, b, resolution)
            for a, b in zip(np.asarray(lat).tolist(), np.asarray(lng).tolist(), strict=True)
        ),
        dtype=np.uint64,
        count=len(lat),
    )
    ids, inverse, counts = np.unique(raw, return_inverse=True, return_counts=True)
    centres = [h3_int.cell_to_latlng(int(c)) for c in ids]
    c_lat = np.array([c[0] for c in centres]) if centres else np.empty(0)
    c_lng = np.array([c[1] for c in centres]) if centres else np.empty(0)
    return Cells(ids, counts.astype(np.int64), inverse, c_lat, c_lng)


@dataclass(frozen=True)
class Site:
    cell: int
    lat: float
    lng: float
    #: Uncovered workers within the radius of this site and of no site chosen before it.
    newly_covered: int


def exact_new_coverage(
    site_lat: np.ndarray, site_lng: np.ndarray, lat: np.ndarray, lng: np.ndarray, radius_m: float
) -> np.ndarray:
    """For sites taken in order: how many of the points each covers that no earlier site did."""
    if len(lat) == 0:
        return np.zeros(len(site_lat), dtype=np.int64)
    tree = _kd_tree(unit_xyz(lat, lng))
    taken = np.zeros(len(lat), dtype=bool)
    out = np.zeros(len(site_lat), dtype=np.int64)
    chord = float(chord_for_m(radius_m))
    for k, members in enumerate(tree.query_ball_point(unit_xyz(site_lat, site_lng), r=chord)):
        members = np.asarray(members, dtype=np.int64)
        fresh = members[~taken[members]] if len(members) else members
        out[k] = len(fresh)
        taken[fresh] = True
    return out


def greedy_sites(
    lat: np.ndarray, lng: np.ndarray, *, n_sites: int, radius_m: float, resolution: int
) -> list[Site]:
    """Suggest ``n_sites`` new stations covering as many of these (uncovered) points as possible.

    Greedy maximum coverage, lazy (a priority queue of stale gains that are only recomputed when
    they reach the top; gains only shrink, so a recomputed gain still on top is the best).
    Candidate sites are the centres of the cells holding points; for choosing, a candidate
    covers the cells whose centres lie within the radius, weighted by their points. The
    reported ``newly_covered`` is then counted exactly on the points.
    """
    if n_sites <= 0 or len(lat) == 0:
        return []
    cells = cells_of(lat, lng, resolution)
    xyz = unit_xyz(cells.lat, cells.lng)
    tree = _kd_tree(xyz)
    chord = float(chord_for_m(radius_m))
    neighbours = tree.query_ball_point(xyz, r=chord, workers=-1)
    weights = cells.counts
    covered = np.zeros(len(weights), dtype=bool)
    heap = [(-int(weights[nb].sum()), i) for i, nb in enumerate(neighbours)]
    heapq.heapify(heap)
    chosen: list[int] = []
    while heap and len(chosen) < n_sites:
        _stale_gain, i = heapq.heappop(heap)
        nb = np.asarray(neighbours[i], dtype=np.int64)
        gain = int(weights[nb][~covered[nb]].sum())
        if gain <= 0:
            continue
        if heap and gain < -heap[0][0]:
            heapq.heappush(heap, (-gain, i))  # stale: put back with its true gain
            continue
        chosen.append(i)
        covered[nb] = True
    idx = np.asarray(chosen, dtype=np.int64)
    exact = exact_new_coverage(cells.lat[idx], cells.lng[idx], lat, lng, radius_m)
    return [
        Site(int(cells.ids[i]), float(cells.lat[i]), float(cells.lng[i]), int(n))
        for i, n in zip(idx, exact, strict=True)
    ]


def densest_cell_sites(lat, lng, *, n_sites: int, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """The naive alternative: the centres of the ``n_sites`` cells with the most points."""
    cells = cells_of(lat, lng, resolution)
    top = np.argsort(-cells.counts, kind="stable")[:n_sites]
    return cells.lat[top], cells.lng[top]


def covered_within(
    index: StationIndex, lat: np.ndarray, lng: np.ndarray, radius_m: float, cell_deg: float = 0.002
) -> np.ndarray:
    """Whether each point has a station within ``radius_m`` — exact, but mostly decided per
    small grid cell (``cell_deg``, ≈ 200 m) instead of per point.

    For a cell with centre c and half-diagonal h, every point w in it satisfies
    ``|d(w, s) − d(c, s)| ≤ h`` (triangle inequality on the sphere), so a cell whose nearest
    station is within ``radius − h`` is covered throughout and one with none within
    ``radius + h`` is uncovered throughout. Only the points of the remaining (boundary) cells
    are searched one by one.
    """
    lat = np.asarray(lat, dtype=np.float64)
    lng = np.asarray(lng, dtype=np.float64)
    if index.tree is None or len(lat) == 0:
        return np.zeros(len(lat), dtype=bool)
    shift = 1_000_000
    i = np.floor(lat / cell_deg).astype(np.int64)
    j = np.floor(lng / cell_deg).astype(np.int64) + shift // 2
    cells, inverse = np.unique(i * shift + j, return_inverse=True)
    ci, cj = np.divmod(cells, shift)
    c_lat = (ci + 0.5) * cell_deg
    c_lng = (cj - shift // 2 + 0.5) * cell_deg
    # The corner farthest from the centre is on the side nearer the equator; +1 m of margin.
    half = (
        np.maximum(
            haversine_m(c_lat, c_lng, c_lat + cell_deg / 2, c_lng + cell_deg / 2),
            haversine_m(c_lat, c_lng, c_lat - cell_deg / 2, c_lng + cell_deg / 2),
        )
        + 1.0
    )
    d_cell, _ = index.nearest(c_lat, c_lng, within_m=radius_m + float(half.max()))
    sure_in = d_cell + half <= radius_m
    unsure = ~sure_in & ~(d_cell - half > radius_m)
    covered = sure_in[inverse]
    todo = np.flatnonzero(unsure[inverse])
    if len(todo):
        d, _ = index.nearest(lat[todo], lng[todo], within_m=radius_m)
        covered[todo] = d <= radius_m
    return covered
