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
from typing import Any

import numpy as np

from . import model as fs
from .blocking import BLOCK_BIT, BLOCKS, candidate_pairs
from .columns import People
from .compare import (
    AGREE,
    CLOSE,
    DIFFER,
    ID_LABELS,
    LEVEL_LABELS,
    MISSING,
    NAME_LABELS,
    TYPO,
    IdTypo,
    birth_levels,
    id_levels,
    name_levels,
    plain_levels,
)
from .names import NameTable

#: Default thresholds on the summed log2 weight; ``settings.TWO_FINDS_THRESHOLDS`` overrides.
#: Chosen on the benchmark's rosters (bench/two_finds.py) for auto-accepted precision ≥ 0.999
#: with a review queue ≤ 5% of the true links.
DEFAULT_THRESHOLDS = {"accept": 27.0, "review": 20.0}

#: A pair wins over a rival also above ``accept`` only when it scores this many bits more
#: (2**10: a thousand times likelier); closer is a tie, for review.
TIE_MARGIN = 10.0

AUTO, REVIEW, DISCARD = 1, 2, 3

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
    levels["id_number"] = id_levels(workers, members, wi, mi, id_typo=id_typo)
    name_level, char_ratio, pinyin_ratio = name_levels(
        workers.name_key[wi], members.name_key[mi], names, workers=fuzz_workers
    )
    levels["name"] = name_level
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


# --- decision --------------------------------------------------------------------------------


def _best_and_rival(group: np.ndarray, score: np.ndarray, candidate: np.ndarray):
    """Per pair: whether it is the best of its group (among ``candidate`` pairs) and the
    best rival score in its group (−inf when alone)."""
    n = len(group)
    best = np.zeros(n, dtype=bool)
    rival = np.full(n, -np.inf)
    rows = np.flatnonzero(candidate)
    if not len(rows):
        return best, rival
    order = rows[np.lexsort((-score[rows], group[rows]))]
    g = group[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = g[1:] != g[:-1]
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], len(order))
    top = score[order][starts]
    second = np.where(
        ends - starts > 1, score[order][np.minimum(starts + 1, len(order) - 1)], -np.inf
    )
    idx = np.cumsum(first) - 1
    best[order[starts]] = True
    # The rival of the best is the runner-up; the rival of any other is the best.
    rival[order] = np.where(first, second[idx], top[idx])
    return best, rival


def decide(
    worker: np.ndarray,
    member: np.ndarray,
    score: np.ndarray,
    exact: np.ndarray,
    *,
    accept: float,
    review: float,
    linked_workers: Iterable[int] = (),
    linked_members: Iterable[int] = (),
    exact_workers: Iterable[int] = (),
    exact_members: Iterable[int] = (),
    same_phone: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Status (AUTO/REVIEW/DISCARD), rank among the member's kept pairs (1 = best) and the
    number of the member's other kept pairs, for every scored pair of a run at once.

    ``worker``/``member`` are ids; ``linked_*`` are ids already linked by an accepted
    proposal, ``exact_*`` those linked by an exact ID (they take no part in fuzzy pairs).
    ``same_phone`` marks pairs that share the phone and show no different ID: for a member
    found by ID such a pair is the same person on a second roster, and waits for review
    instead of being dropped."""
    n = len(worker)
    status = np.full(n, DISCARD, dtype=np.int8)
    rank = np.zeros(n, dtype=np.int32)
    rivals = np.zeros(n, dtype=np.int32)
    if not n:
        return status, rank, rivals
    linked_w = np.isin(worker, np.fromiter(linked_workers, np.int64))
    linked_m = np.isin(member, np.fromiter(linked_members, np.int64))
    # Exact pairs: accepted when the rest does not contradict them (score ≥ accept) and no
    # side is already linked to someone else; otherwise a reviewer looks (never dropped).
    exact_auto = exact & (score >= accept) & ~linked_w & ~linked_m
    status[exact] = REVIEW
    status[exact_auto] = AUTO
    gone_w = np.union1d(worker[exact_auto], np.fromiter(exact_workers, np.int64))
    gone_m = np.union1d(member[exact_auto], np.fromiter(exact_members, np.int64))
    fuzzy = ~exact & ~np.isin(worker, gone_w) & ~np.isin(member, gone_m) & (score >= review)
    w_best, w_rival = _best_and_rival(worker, score, fuzzy)
    m_best, m_rival = _best_and_rival(member, score, fuzzy)
    clear = ((w_rival < accept) | (score - w_rival >= TIE_MARGIN)) & (
        (m_rival < accept) | (score - m_rival >= TIE_MARGIN)
    )
    sole = fuzzy & (score >= accept) & w_best & m_best & clear & ~linked_w & ~linked_m
    status[sole] = AUTO
    # A linked side: only pairs as strong as an accept are worth a reviewer's look.
    weak_linked = (linked_w | linked_m) & (score < accept)
    status[fuzzy & ~sole & ~weak_linked] = REVIEW
    if same_phone is not None:
        second = ~exact & np.isin(member, gone_m) & ~np.isin(worker, gone_w) & same_phone
        status[second & (score >= review)] = REVIEW
    kept = np.flatnonzero(status != DISCARD)
    if len(kept):
        order = kept[np.lexsort((-score[kept], member[kept]))]
        m = member[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = m[1:] != m[:-1]
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
        rank[order] = np.arange(len(order)) - group_start + 1
        starts = np.flatnonzero(first)
        sizes = np.diff(np.append(starts, len(order)))
        rivals[order] = (sizes[np.cumsum(first) - 1] - 1).astype(np.int32)
    return status, rank, rivals


def second_records(scored: Scored) -> np.ndarray:
    """Pairs sharing the phone whose ID numbers are not two different numbers."""
    id_level = scored.levels["id_number"]
    return (scored.levels["phone"] == AGREE) & ((id_level == MISSING) | (id_level == TYPO))


# --- evidence ----------------------------------------------------------------------------------

#: Why a pair is uncertain, as codes (the review queue shows them in words, translated).
REASONS = (
    "id_differ",
    "id_typo",
    "id_missing",
    "name_homophone",
    "name_alike",
    "name_similar",
    "name_partial",
    "name_different",
    "phone_differ",
    "phone_missing",
    "birth_close",
    "birth_differ",
    "birth_missing",
    "district_moved",
    "competing",
    "below_accept",
)


def reasons(levels: dict[str, int], *, score: float, accept: float, rivals: int) -> list[str]:
    """The reason codes of one pair (see :data:`REASONS`)."""
    out = []
    id_level = levels["id_number"]
    if id_level == DIFFER:
        out.append("id_differ")
    elif id_level == TYPO:
        out.append("id_typo")
    elif id_level == MISSING:
        out.append("id_missing")
    name = NAME_LABELS[levels["name"]]
    if name in ("homophone", "alike", "similar", "partial", "different"):
        out.append(f"name_{name}")
    phone = levels["phone"]
    if phone != AGREE:
        out.append("phone_missing" if phone == MISSING else "phone_differ")
    birth = levels["birth_date"]
    if birth == CLOSE:
        out.append("birth_close")
    elif birth == DIFFER:
        out.append("birth_differ")
    elif birth == MISSING and id_level == MISSING:
        out.append("birth_missing")
    if levels["district"] == DIFFER:
        out.append("district_moved")
    if rivals:
        out.append("competing")
    if score < accept and id_level != AGREE:
        out.append("below_accept")
    return out


def evidence(
    scored: Scored,
    i: int,
    *,
    model: fs.Model,
    names: NameTable,
    workers: People,
    members: People,
    accept: float,
    rank: int = 1,
    rivals: int = 0,
) -> dict[str, Any]:
    """The per-field evidence of pair ``i``: level and weight of each field, the two names
    with their ratios, the blocks that proposed it, the probability and how uncertain it is,
    the reasons, and its rank among its member's proposals. No ID or phone values."""
    fields: dict[str, Any] = {}
    levels = {name: int(scored.levels[name][i]) for name in fs.FIELDS}
    for name in fs.FIELDS:
        labels = (
            NAME_LABELS if name == "name" else ID_LABELS if name == "id_number" else LEVEL_LABELS
        )
        fields[name] = {
            "level": labels[levels[name]],
            "weight": round(model.weight(name, levels[name]), 2),
        }
    fields["name"].update(
        worker=names.name_of(int(workers.name_key[scored.worker[i]])),
        member=names.name_of(int(members.name_key[scored.member[i]])),
        char_ratio=round(float(scored.char_ratio[i]), 1),
        pinyin_ratio=round(float(scored.pinyin_ratio[i]), 1),
    )
    value = float(scored.score[i])
    probability = float(model.posterior(np.array([value]))[0])
    bits = int(scored.blocks[i])
    return {
        "fields": fields,
        "score": round(value, 2),
        "probability": round(probability, 6),
        "uncertainty": round(uncertainty(probability), 4),
        "blocks": [b for b in BLOCKS if bits & BLOCK_BIT[b]],
        "reasons": reasons(levels, score=value, accept=accept, rivals=rivals),
        "rank": int(rank),
        "rivals": int(rivals),
        "model": model.source,
    }


def uncertainty(probability: float) -> float:
    """How much a reviewer's decision would change what we know: the binary entropy (bits) of
    the match probability, 1 at 50%, 0 at certainty."""
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return float(-(p * np.log2(p) + (1 - p) * np.log2(1 - p)))


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
