"""The decision over every scored pair of a run at once: one worker per member, one member
per worker, exact links first (see :mod:`members.matching.engine` for the rules)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .compare import AGREE, MISSING, TYPO

#: A pair wins over a rival also above ``accept`` only when it scores this many bits more
#: (2**10: a thousand times likelier); closer is a tie, for review.
TIE_MARGIN = 10.0

AUTO, REVIEW, DISCARD = 1, 2, 3


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


def second_records(scored) -> np.ndarray:
    """Pairs sharing the phone whose ID numbers are not two different numbers."""
    id_level = scored.levels["id_number"]
    return (scored.levels["phone"] == AGREE) & ((id_level == MISSING) | (id_level == TYPO))
