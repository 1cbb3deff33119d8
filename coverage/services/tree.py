"""The region tree: which output rows (a region, its ancestors, the management zone managing
it) each leaf's counts add to, and the sum into those rows."""

from __future__ import annotations

import numpy as np

from organizations.models import Region

from .leaves import Key, _Leaves


def region_targets() -> dict[int, tuple[int, ...]]:
    """For each region, the regions whose rows count it: itself, its ancestors, and the
    management zone managing it or one of its ancestors."""
    regions = list(Region.objects.values_list("pk", "path", "managed_by_id"))
    by_path = {path: pk for pk, path, _ in regions}
    zone_of = {pk: zone for pk, _path, zone in regions if zone}
    targets: dict[int, tuple[int, ...]] = {}
    for pk, path, _zone in regions:
        parts = [p for p in path.split("/") if p]
        prefixes = ("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
        chain = [by_path[p] for p in prefixes if p in by_path]
        zones = sorted({zone_of[r] for r in chain if r in zone_of} - set(chain))
        targets[pk] = tuple(dict.fromkeys([*chain, pk, *zones]))
    return targets


def _expansion(leaves: _Leaves, targets: dict[int, tuple[int, ...]]):
    """Which output row (region × industry, or region × all industries) each leaf adds to.
    Output rows are numbered in (region, industry) order so that each day's rows are inserted
    in index order (much faster B-tree inserts than a random order)."""
    pairs: list[tuple[int, Key]] = []
    for (region_id, industry_id), i in leaves.index.items():
        for target in targets.get(region_id, (region_id,)):
            pairs.append((i, (target, industry_id)))
            if industry_id:
                pairs.append((i, (target, None)))
    keys = sorted({key for _, key in pairs}, key=lambda k: (k[0], k[1] or 0))
    out_index = {key: j for j, key in enumerate(keys)}
    leaf_of = np.asarray([i for i, _ in pairs], dtype=np.int64)
    out_of = np.asarray([out_index[key] for _, key in pairs], dtype=np.int64)
    return keys, leaf_of, out_of


def _rollup(states: np.ndarray, expansion) -> np.ndarray:
    """Sum leaf states (leaves × days × counts) into the output rows (rows × days × counts)."""
    keys, leaf_of, out_of = expansion
    out = np.zeros((len(keys), states.shape[1], states.shape[2]), dtype=np.int64)
    if len(keys):
        np.add.at(out, out_of, states[leaf_of])
    return out
