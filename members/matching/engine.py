"""Scoring candidate pairs, estimating the model, and deciding: the engine's three steps.

:func:`score` blocks, compares and scores (the heavy part: run per chunk of workers);
:func:`estimate` fits the model to the data (once per run); :func:`decide` applies the
one-person rules to every scored pair of the run at once; :func:`match` does all three in
memory (tests, the benchmark's engine row).

Decision rules (thresholds ``accept`` and ``review`` on the summed log2 weight, settings
``TWO_FINDS_THRESHOLDS``):

* An ID number equal on both sides is accepted (rule ``exact_id``) unless the other fields
  contradict it (score below ``accept``: then it is reviewed, never dropped), and the worker
  and the member it links — and every worker or member already linked by an exact ID — take no part
  in fuzzy proposals: a namesake of a member who was found by ID is not proposed.
* One member per worker and one worker per member: a fuzzy pair is accepted only if it
  scores ≥ ``accept``, is its worker's best and its member's best, each by
  :data:`TIE_MARGIN` over any rival ≥ ``accept``, and neither side is already linked.
  Otherwise a pair ≥ ``review`` waits for review, with its rank among its member's
  proposals (competing proposals are shown together); below ``review`` it is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from . import model as fs
from .blocking import BLOCK_BIT, BLOCKS, candidate_pairs
from .columns import People
from .compare import (
    AGREE,
    DIFFER,
    MISSING,
    TYPO,
    IdTypo,
    birth_levels,
    id_levels,
    name_levels,
    plain_levels,
)
from .decide import AUTO, DISCARD, REVIEW, decide, second_records
from .evidence import evidence
from .names import NameTable

#: Default thresholds on the summed log2 weight; ``settings.TWO_FINDS_THRESHOLDS`` overrides.
#: Chosen on the benchmark's rosters (bench/two_finds.py) for auto-accepted precision ≥ 0.999
#: with a review queue ≤ 5% of the true links.
DEFAULT_THRESHOLDS = {"accept": 27.0, "review": 20.0}


_CHEAP = ("phone", "birth_date", "gender", "district", "industry")


def _cheap_levels(workers: People, members: People, wi, mi) -> dict[str, np.ndarray]:
    """Phone, birth date, gender, district and industry. Where both sides have an ID number,
    birth date and gender are part of it (both are derived from it): the ID's level speaks for
    them, and they are left out (MISSING) rather than counted twice — a stranger born the same
    day gains nothing from it once the two numbers differ."""
    both_ids = (workers.id_key[wi] != 0) & (members.id_key[mi] != 0)
    birth = birth_levels(workers.birth[wi], members.birth[mi])
    gender = plain_levels(workers.gender[wi], members.gender[mi])
    birth[both_ids] = MISSING
    gender[both_ids] = MISSING
    return {
        "phone": plain_levels(workers.phone_key[wi], members.phone_key[mi]),
        "birth_date": birth,
        "gender": gender,
        "district": plain_levels(workers.district[wi], members.district[mi]),
        "industry": plain_levels(workers.industry[wi], members.industry[mi]),
    }


def all_levels(workers, members, names, wi, mi, *, id_typo: IdTypo | None = None, fuzz_workers=2):
    """Every field's levels for given pairs (no pre-filter): the estimation's and the
    benchmark's comparisons."""
    levels = _cheap_levels(workers, members, wi, mi)
    levels["id_number"] = id_levels(workers, members, wi, mi, id_typo=id_typo)
    levels["name"] = name_levels(
        workers.name_key[wi], members.name_key[mi], names, workers=fuzz_workers
    )[0]
    return levels


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Scored:
    """Scored candidate pairs (``worker``/``member`` are row numbers into the inputs)."""

    worker: np.ndarray
    member: np.ndarray
    score: np.ndarray
    blocks: np.ndarray
    levels: dict[str, np.ndarray]
    char_ratio: np.ndarray
    pinyin_ratio: np.ndarray
    counts: dict[str, int] = field(default_factory=dict)

    def take(self, keep: np.ndarray) -> Scored:
        return Scored(
            self.worker[keep],
            self.member[keep],
            self.score[keep],
            self.blocks[keep],
            {k: v[keep] for k, v in self.levels.items()},
            self.char_ratio[keep],
            self.pinyin_ratio[keep],
            dict(self.counts),
        )

    @property
    def exact(self) -> np.ndarray:
        return self.levels["id_number"] == AGREE


def score(
    workers: People,
    members: People,
    names: NameTable,
    *,
    model: fs.Model,
    review: float,
    excluded_pairs: Iterable[tuple[int, int]] = (),
    id_typo: IdTypo | None = None,
    fuzz_workers: int = 2,
) -> Scored:
    """Block, compare and score; keep the pairs ≥ ``review`` (and every exact-ID pair).
    ``excluded_pairs`` are (worker pk, member pk) pairs decided "not a match": dropped first,
    so they are never proposed again and cannot make anybody ambiguous."""
    weights = model.tables()
    wi, mi, bits = candidate_pairs(workers, members, names)
    counts = {"candidates": len(wi)}
    excluded = list(excluded_pairs)
    if excluded and len(wi):
        ex = np.array(excluded, dtype=np.int64).reshape(-1, 2)
        drop = np.isin(
            workers.pk[wi] * np.int64(2**31) + members.pk[mi], ex[:, 0] * 2**31 + ex[:, 1]
        )
        counts["excluded"] = int(drop.sum())
        wi, mi, bits = wi[~drop], mi[~drop], bits[~drop]
    levels = _cheap_levels(workers, members, wi, mi)
    plain_id = plain_levels(workers.id_key[wi], members.id_key[mi])
    partial = np.zeros(len(wi), dtype=np.float32)
    for name in _CHEAP:
        partial += weights[name][levels[name]]
    # Cheap pre-filter: a pair that cannot reach review even with identical names (and, for
    # two different IDs, even if they turn out to be a typo) is dropped before any string
    # comparison or ID question.
    best_id = weights["id_number"][np.where(plain_id == DIFFER, TYPO, plain_id)]
    reachable = np.flatnonzero(partial + best_id + weights["name"].max() >= review)
    counts["discarded_before_names"] = len(wi) - len(reachable)
    wi, mi, bits, partial = wi[reachable], mi[reachable], bits[reachable], partial[reachable]
    levels = {name: level[reachable] for name, level in levels.items()}
    name_level, char_ratio, pinyin_ratio = name_levels(
        workers.name_key[wi], members.name_key[mi], names, workers=fuzz_workers
    )
    levels["name"] = name_level
    # The ID question (two different numbers: a clerk's slip?) reads both numbers, so it is
    # asked only of the pairs a slip could lift to ``review`` given their names: for the
    # others the answer changes nothing (dropped either way).
    either = max(weights["id_number"][TYPO], weights["id_number"][DIFFER])
    ask = partial + either + weights["name"][name_level] >= review
    levels["id_number"] = id_levels(workers, members, wi, mi, ask=ask, id_typo=id_typo)
    total = partial + weights["id_number"][levels["id_number"]] + weights["name"][name_level]
    keep = (total >= review) | (levels["id_number"] == AGREE)
    scored = Scored(wi, mi, total, bits, levels, char_ratio, pinyin_ratio, counts).take(keep)
    scored.counts["scored"] = int(keep.sum())
    return scored


# --- estimation ------------------------------------------------------------------------------


def _exact_share(a: np.ndarray, b: np.ndarray) -> float | None:
    """Chance that a random (a, b) pair, both known, agrees exactly: Σ share_a(v)·share_b(v)."""
    a, b = a[a != 0], b[b != 0]
    if not len(a) or not len(b):
        return None
    va, ca = np.unique(a, return_counts=True)
    vb, cb = np.unique(b, return_counts=True)
    _common, ia, ib = np.intersect1d(va, vb, assume_unique=True, return_indices=True)
    return float((ca[ia].astype(np.float64) * cb[ib]).sum() / (len(a) * float(len(b))))


def estimate(
    workers: People,
    members: People,
    names: NameTable,
    *,
    seed: int = 0,
    id_typo: IdTypo | None = None,
    session_sample: int = 200_000,
) -> fs.Model:
    """The model of this data: u from the rosters, m by EM over the blocked pairs (see
    :mod:`members.matching.model`). Falls back to the prior where data are too few."""
    model = fs.Model.prior()
    if len(workers) < fs.MIN_PEOPLE or len(members) < fs.MIN_PEOPLE:
        return model  # too few people to tell chance agreement from a rule: the prior stands
    rng = np.random.default_rng(seed)
    shares = {
        "id_number": _exact_share(workers.id_key, members.id_key),
        "phone": _exact_share(workers.phone_key, members.phone_key),
        "birth_date": _exact_share(workers.birth, members.birth),
        "district": _exact_share(workers.district, members.district),
        "industry": _exact_share(workers.industry, members.industry),
        "gender": _exact_share(workers.gender.astype(np.int64), members.gender.astype(np.int64)),
        "name": _exact_share(workers.name_key, members.name_key),
    }
    n_sample = min(fs.U_SAMPLE, len(workers) * len(members))
    rw = rng.integers(0, len(workers), n_sample)
    rm = rng.integers(0, len(members), n_sample)
    sampled = all_levels(workers, members, names, rw, rm)
    fs.estimate_u({k: v for k, v in shares.items() if v is not None}, sampled, model=model)

    wi, mi, bits = candidate_pairs(workers, members, names)
    sessions: dict[str, dict[str, np.ndarray]] = {}
    for block in BLOCKS:
        rows = np.flatnonzero(bits & BLOCK_BIT[block])
        if len(rows) > session_sample:
            rows = rng.choice(rows, session_sample, replace=False)
        if len(rows) >= fs.MIN_SESSION_PAIRS:
            sessions[block] = all_levels(
                workers, members, names, wi[rows], mi[rows], id_typo=id_typo
            )
    fs.estimate_m(sessions, model=model)
    return model


# --- everything in memory --------------------------------------------------------------------


@dataclass
class MatchResult:
    """Kept pairs (auto-accepted and for review) with their evidence columns and counts."""

    scored: Scored
    status: np.ndarray
    rank: np.ndarray
    rivals: np.ndarray
    worker_pk: np.ndarray
    member_pk: np.ndarray
    model: fs.Model
    accept: float
    counts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.status)

    @property
    def score(self) -> np.ndarray:
        return self.scored.score

    @property
    def exact(self) -> np.ndarray:
        return self.scored.exact

    def rule(self, i: int) -> str:
        return "exact_id" if self.exact[i] else "fuzzy"

    def evidence(self, i: int, names: NameTable, workers: People, members: People) -> dict:
        return evidence(
            self.scored,
            i,
            model=self.model,
            names=names,
            workers=workers,
            members=members,
            accept=self.accept,
            rank=int(self.rank[i]),
            rivals=int(self.rivals[i]),
        )


def match(
    workers: People,
    members: People,
    names: NameTable,
    *,
    thresholds: dict[str, float] | None = None,
    excluded_pairs: Iterable[tuple[int, int]] = (),
    model: fs.Model | None = None,
    id_typo: IdTypo | None = None,
    fuzz_workers: int = 2,
) -> MatchResult:
    """Estimate (unless ``model`` is given), score and decide in memory. ``workers.linked``
    and ``members.linked`` mark people already linked by an accepted proposal."""
    limits = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    accept, review = float(limits["accept"]), float(limits["review"])
    if model is None:
        model = estimate(workers, members, names, id_typo=id_typo)
    scored = score(
        workers,
        members,
        names,
        model=model,
        review=review,
        excluded_pairs=excluded_pairs,
        id_typo=id_typo,
        fuzz_workers=fuzz_workers,
    )
    w_pk, m_pk = workers.pk[scored.worker], members.pk[scored.member]
    status, rank, rivals = decide(
        w_pk,
        m_pk,
        scored.score,
        scored.exact,
        accept=accept,
        review=review,
        linked_workers=workers.pk[workers.linked].tolist(),
        linked_members=members.pk[members.linked].tolist(),
        same_phone=second_records(scored),
    )
    keep = np.flatnonzero(status != DISCARD)
    counts = {
        **scored.counts,
        "exact": int(scored.exact.sum()),
        "auto_accepted": int((status == AUTO).sum()),
        "review": int((status == REVIEW).sum()),
    }
    counts["discarded"] = counts["candidates"] - counts.get("excluded", 0) - len(keep)
    return MatchResult(
        scored.take(keep),
        status[keep],
        rank[keep],
        rivals[keep],
        w_pk[keep],
        m_pk[keep],
        model,
        accept,
        counts,
    )


def score_pairs(
    workers: People, members: People, names: NameTable, wi: np.ndarray, mi: np.ndarray
) -> np.ndarray:
    """The prior model's score of given pairs (no blocking, no decision): the benchmark
    times comparing all pairs on a sample with it."""
    weights = fs.Model.prior().tables()
    levels = all_levels(workers, members, names, wi, mi)
    total = np.zeros(len(wi), dtype=np.float32)
    for name, level in levels.items():
        total += weights[name][level]
    return total
