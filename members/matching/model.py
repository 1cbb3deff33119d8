"""The Fellegi–Sunter model: m and u per field and level, estimated from the data each run.

``m`` = P(level | same person), ``u`` = P(level | two different people); a level weighs
``log2(m / u)`` and a pair's score is the sum over fields (MISSING weighs 0).

Estimation (:func:`estimate`), as Splink does it:

* **u** from the rosters themselves. For exact agreement it is computed, not sampled:
  ``Σ_v share_workers(v) × share_members(v)`` over the values' keys (an ID, a phone, a name,
  a birth date...). The other levels (a close birth date, a similar name) are counted on
  random worker × member pairs (:data:`U_SAMPLE` of them), almost all of them non-matches.
* **m** by expectation–maximization over the blocked candidate pairs, with u held fixed: one
  session per block, leaving out the fields the block forces to agree
  (``blocking.BLOCK_FIELDS``: on the birth-date block every pair agrees on birth date,
  which says nothing about matches). A field's m is the average over the sessions that
  estimate it, weighted by each session's expected number of matches.
* **Priors and bounds.** :data:`PRIOR` (rates expected of real rosters) enters every
  estimate as :data:`PRIOR_STRENGTH` pseudo-pairs, so a run on little data stays near it and
  a run on much data follows the data; with fewer than :data:`MIN_PEOPLE` on a side the
  prior is used as it is. m stays within :data:`M_BOUNDS` of each level and u
  at or above :data:`U_FLOOR`, whatever the data: two valid, different ID numbers weigh at
  least −13 bits against; a shared phone never weighs more than a phone shared by relatives
  allows; a namesake is never rarer than real rosters make them. Too few pairs for a session
  (:data:`MIN_SESSION_PAIRS`) and the prior stands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .compare import (
    AGREE,
    CLOSE,
    DIFFER,
    MISSING,
    NAME_ALIKE,
    NAME_DIFFERENT,
    NAME_EXACT,
    NAME_HOMOPHONE,
    NAME_PARTIAL,
    NAME_SIMILAR,
    TYPO,
)

#: Prior m and u per field and level (expected of rosters: IDs missing or mistyped a few in a
#: hundred, phones changed ~15%, moved districts ~15%, homophone names ~7%; chance agreement
#: one birth date in ~14,600, one district in ~100).
PRIOR: dict[str, dict[int, tuple[float, float]]] = {
    "id_number": {AGREE: (0.97, 1e-7), TYPO: (0.0299, 1e-8), DIFFER: (1e-4, 1.0)},
    "phone": {AGREE: (0.83, 1e-4), DIFFER: (0.17, 1.0)},
    "birth_date": {AGREE: (0.985, 1 / 14_600), CLOSE: (0.012, 3e-3), DIFFER: (0.003, 1.0)},
    "gender": {AGREE: (0.995, 0.5), DIFFER: (0.005, 0.5)},
    "district": {AGREE: (0.85, 0.01), DIFFER: (0.15, 0.99)},
    "industry": {AGREE: (0.75, 0.3), DIFFER: (0.25, 0.7)},
    "name": {
        NAME_EXACT: (0.86, 2e-5),
        NAME_HOMOPHONE: (0.06, 6e-5),
        NAME_ALIKE: (0.03, 3e-4),
        NAME_SIMILAR: (0.03, 3e-3),
        NAME_PARTIAL: (0.015, 0.03),
        NAME_DIFFERENT: (0.005, 0.97),
    },
}
FIELDS = tuple(PRIOR)

#: Bounds of m per (field, level): what the data may move it to.
M_BOUNDS: dict[tuple[str, int], tuple[float, float]] = {
    ("id_number", DIFFER): (1e-5, 1e-4),  # two real, different numbers: ≤ −13.3 bits
    ("id_number", AGREE): (0.5, 0.999),
    ("phone", AGREE): (0.3, 0.99),
    ("birth_date", AGREE): (0.5, 0.999),
    ("name", NAME_EXACT): (0.4, 0.99),
}
M_DEFAULT_BOUNDS = (1e-4, 0.999)
#: u never below these: agreement that random pairs cannot show but real rosters hold.
U_FLOOR: dict[tuple[str, int], float] = {
    ("id_number", AGREE): 1e-9,
    ("id_number", TYPO): 1e-8,
    ("phone", AGREE): 1e-4,  # relatives share a number, operators recycle them
    ("name", NAME_EXACT): 1e-5,  # namesakes are common in Chinese rosters
    ("name", NAME_HOMOPHONE): 3e-5,
    ("name", NAME_ALIKE): 1e-4,
    ("birth_date", CLOSE): 1e-4,
}
U_DEFAULT_FLOOR = 1e-6
PRIOR_STRENGTH = 50.0  # pseudo-pairs of the prior in every estimate
U_SAMPLE = 100_000
MIN_PEOPLE = 200  # on each side, for any estimate
MIN_SESSION_PAIRS = 200
EM_ITERATIONS = 25


@dataclass
class Model:
    """m and u per field and level, the share of matches among candidate pairs (``lam``),
    and where they came from (``source``: ``prior`` or ``em``)."""

    m: dict[str, dict[int, float]]
    u: dict[str, dict[int, float]]
    lam: float = 1e-3
    source: str = "prior"
    sessions: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def prior(cls) -> Model:
        return cls(
            m={f: {lv: mu[0] for lv, mu in levels.items()} for f, levels in PRIOR.items()},
            u={f: {lv: mu[1] for lv, mu in levels.items()} for f, levels in PRIOR.items()},
        )

    def weight(self, field_name: str, level: int) -> float:
        if level == MISSING:
            return 0.0
        return math.log2(self.m[field_name][level] / self.u[field_name][level])

    def tables(self) -> dict[str, np.ndarray]:
        """Weights indexed by level, per field (0 for MISSING)."""
        out = {}
        for name, levels in self.m.items():
            table = np.zeros(max(levels) + 1, dtype=np.float32)
            for level in levels:
                table[level] = self.weight(name, level)
            out[name] = table
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (a job stores the model it used)."""
        return {
            "source": self.source,
            "lam": self.lam,
            "fields": {
                f: {str(lv): [self.m[f][lv], self.u[f][lv]] for lv in self.m[f]} for f in self.m
            },
            "sessions": self.sessions,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        fields = data["fields"]
        return cls(
            m={f: {int(lv): mu[0] for lv, mu in levels.items()} for f, levels in fields.items()},
            u={f: {int(lv): mu[1] for lv, mu in levels.items()} for f, levels in fields.items()},
            lam=float(data.get("lam", 1e-3)),
            source=data.get("source", "prior"),
            sessions=data.get("sessions", {}),
        )

    def posterior(self, score: np.ndarray) -> np.ndarray:
        """P(match | score) among candidate pairs."""
        prior_odds = self.lam / (1 - self.lam)
        odds = prior_odds * np.exp2(np.minimum(np.asarray(score, dtype=np.float64), 60))
        return odds / (1 + odds)


def _bounded_m(name: str, level: int, value: float) -> float:
    low, high = M_BOUNDS.get((name, level), M_DEFAULT_BOUNDS)
    return min(max(value, low), high)


def _normalize(values: dict[int, float]) -> dict[int, float]:
    total = sum(values.values())
    return {k: v / total for k, v in values.items()}


def estimate_u(
    exact_shares: dict[str, float], sampled: dict[str, np.ndarray], *, model: Model
) -> None:
    """Set ``model.u`` from computed exact-agreement shares and sampled levels.

    ``exact_shares[field]`` is the chance that a random pair agrees exactly (both present);
    ``sampled[field]`` the levels of random pairs."""
    for name, levels in PRIOR.items():
        sample = sampled.get(name)
        known = sample[sample != MISSING] if sample is not None else np.zeros(0, np.int8)
        n = len(known)
        u: dict[int, float] = {}
        for level, (_m, u0) in levels.items():
            count = float((known == level).sum()) if n else 0.0
            u[level] = (count + PRIOR_STRENGTH * u0) / (n + PRIOR_STRENGTH)
        exact_level = NAME_EXACT if name == "name" else AGREE
        if name in exact_shares:
            u[exact_level] = exact_shares[name]
        for level in u:
            u[level] = max(u[level], U_FLOOR.get((name, level), U_DEFAULT_FLOOR))
        model.u[name] = _normalize(u)
        for level in u:  # normalizing must not push a floored level back under its floor
            model.u[name][level] = max(
                model.u[name][level], U_FLOOR.get((name, level), U_DEFAULT_FLOOR)
            )


def estimate_m(sessions: dict[str, dict[str, np.ndarray]], *, model: Model) -> None:
    """EM for m (u fixed) on each block's pairs, leaving out the block's own fields; sets
    ``model.m`` and ``model.lam`` and records each session's outcome."""
    from .blocking import BLOCK_FIELDS

    prior = Model.prior()
    sums: dict[str, dict[int, float]] = {f: dict.fromkeys(PRIOR[f], 0.0) for f in PRIOR}
    weights: dict[str, float] = dict.fromkeys(PRIOR, 0.0)
    lam_pairs, lam_matches = 0, 0.0
    for block, levels in sessions.items():
        n = len(next(iter(levels.values()))) if levels else 0
        free = [f for f in PRIOR if f not in BLOCK_FIELDS[block] and f in levels]
        if n < MIN_SESSION_PAIRS or not free:
            model.sessions[block] = {"pairs": n, "used": False}
            continue
        m = {f: dict(prior.m[f]) for f in free}
        lam = 0.01
        for _ in range(EM_ITERATIONS):
            log_ratio = np.zeros(n, dtype=np.float64)
            for f in free:
                ratio = np.zeros(max(PRIOR[f]) + 1)
                for level in PRIOR[f]:
                    ratio[level] = math.log(m[f][level] / model.u[f][level])
                log_ratio += ratio[levels[f]]
            odds = lam / (1 - lam) * np.exp(np.minimum(log_ratio, 700))
            p = odds / (1 + odds)
            expected = float(p.sum())
            for f in free:
                known = levels[f] != MISSING
                total = float(p[known].sum())
                new = {
                    level: (float(p[levels[f] == level].sum()) + PRIOR_STRENGTH * prior.m[f][level])
                    / (total + PRIOR_STRENGTH)
                    for level in PRIOR[f]
                }
                m[f] = _normalize({lv: _bounded_m(f, lv, v) for lv, v in new.items()})
            lam = min(max((expected + 1.0) / (n + 2.0), 1e-6), 0.99)
        model.sessions[block] = {"pairs": n, "used": True, "matches": round(expected, 1)}
        lam_pairs += n
        lam_matches += expected
        for f in free:
            for level in PRIOR[f]:
                sums[f][level] += expected * m[f][level]
            weights[f] += expected
    for f in PRIOR:
        if weights[f] > 0:
            estimated = {lv: sums[f][lv] / weights[f] for lv in PRIOR[f]}
            model.m[f] = _normalize({lv: _bounded_m(f, lv, v) for lv, v in estimated.items()})
    if lam_pairs:
        model.lam = min(max(lam_matches / lam_pairs, 1e-6), 0.5)
        model.source = "em"
