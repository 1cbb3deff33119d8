"""Candidate pairs from equal keys, without ever forming the cross product.

Blocks (each a key equal on both sides):

* ``id``: the ID blind index (the exact rule);
* ``phone``: the phone blind index;
* ``birth_surname``: birth date and surname pinyin (张/章 meet);
* ``birth_district``: birth date and district (a mistyped surname);
* ``pinyin_district``: full-name pinyin (with the confusable sounds merged: 陈玲/程林) and
  district, only where a side has no birth date (no valid ID: birth date and gender come
  from the ID, so the two blocks above miss them).

Each block is a sort + binary-search join in numpy (:func:`_join`).
"""

from __future__ import annotations

import numpy as np

from .columns import People
from .names import NameTable

BLOCKS = ("id", "phone", "birth_surname", "birth_district", "pinyin_district")
BLOCK_BIT = {name: 1 << i for i, name in enumerate(BLOCKS)}
#: The fields each block forces to agree (or nearly): the EM leaves them out of the session
#: it runs on that block's pairs, as Splink does (their agreement says nothing there).
BLOCK_FIELDS = {
    "id": frozenset({"id_number", "birth_date", "gender"}),
    "phone": frozenset({"phone"}),
    "birth_surname": frozenset({"birth_date", "name"}),
    "birth_district": frozenset({"birth_date", "district"}),
    "pinyin_district": frozenset({"name", "district"}),
}


def _hash_bits(keys: np.ndarray, bits: int) -> np.ndarray:
    """The top ``bits`` bits of a Fibonacci hash of the keys (spreads composite keys)."""
    with np.errstate(over="ignore"):
        mixed = keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return (mixed >> np.uint64(64 - bits)).astype(np.int64)


def _join(w_keys: np.ndarray, w_rows: np.ndarray, m_keys: np.ndarray, m_rows: np.ndarray):
    """All (worker row, member row) pairs with equal keys, without a Python loop.

    The member side (the small one) is sorted once and summarized as distinct keys with their
    runs. Worker keys first pass a bitmap of the member keys' hashes (a one-hash Bloom filter,
    ~3% false positives), so only the few that may hit are binary-searched; the runs are then
    expanded with ``repeat``.
    """
    if len(w_rows) == 0 or len(m_rows) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    bits = max(12, int(np.ceil(np.log2(len(m_keys) * 32))))
    table = np.zeros(1 << bits, dtype=bool)
    table[_hash_bits(m_keys, bits)] = True
    maybe = np.flatnonzero(table[_hash_bits(w_keys, bits)])
    w_keys, w_rows = w_keys[maybe], w_rows[maybe]

    order = np.argsort(m_keys, kind="stable")
    sorted_keys = m_keys[order]
    first = np.ones(len(sorted_keys), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    run_start = np.flatnonzero(first)
    run_keys = sorted_keys[run_start]
    run_length = np.diff(np.append(run_start, len(sorted_keys)))

    position = np.searchsorted(run_keys, w_keys)
    position[position == len(run_keys)] = 0
    hit = run_keys[position] == w_keys
    position, w_rows = position[hit], w_rows[hit]
    counts = run_length[position]
    left = run_start[position]
    total = int(counts.sum())
    wi = np.repeat(w_rows, counts)
    starts = np.repeat(left - (np.cumsum(counts) - counts), counts)
    mi = m_rows[order[starts + np.arange(total)]]
    return wi, mi


def _mix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One 64-bit blocking key from two (a rare collision only adds a candidate to score)."""
    with np.errstate(over="ignore"):
        return (a.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ b.astype(np.uint64)


def _block(w_keys, w_valid, m_keys, m_valid):
    w_rows = np.flatnonzero(w_valid)
    m_rows = np.flatnonzero(m_valid)
    return _join(w_keys[w_rows], w_rows, m_keys[m_rows], m_rows)


def candidate_pairs(workers: People, members: People, names: NameTable):
    """Unique candidate pairs ``(wi, mi, block bits)`` from every block, keeping only pairs
    where at least one side is pending."""
    w_sur, m_sur = names.surname_keys(workers.name_key), names.surname_keys(members.name_key)
    # Full-name pinyin is needed only where a side has no birth date (the last block).
    w_pin = np.zeros(len(workers), dtype=np.uint64)
    m_pin = names.fuzzy_keys(members.name_key)
    no_birth = (
        np.flatnonzero(workers.birth == 0) if (members.birth > 0).all() else np.arange(len(workers))
    )
    w_pin[no_birth] = names.fuzzy_keys(workers.name_key[no_birth])
    w_birth, m_birth = workers.birth, members.birth
    w_dist, m_dist = workers.district, members.district

    parts: list[tuple[np.ndarray, np.ndarray, int]] = []

    def add(block: str, joined) -> None:
        parts.append((*joined, BLOCK_BIT[block]))

    add("id", _block(workers.id_key, workers.id_key != 0, members.id_key, members.id_key != 0))
    add(
        "phone",
        _block(
            workers.phone_key, workers.phone_key != 0, members.phone_key, members.phone_key != 0
        ),
    )
    # Composite keys: birth day number (< 2**22) above a 32-bit second key.
    add(
        "birth_surname",
        _block(
            (w_birth << 32) | w_sur.astype(np.int64),
            (w_birth > 0) & (w_sur > 0),
            (m_birth << 32) | m_sur.astype(np.int64),
            (m_birth > 0) & (m_sur > 0),
        ),
    )
    add(
        "birth_district",
        _block(
            (w_birth << 32) | w_dist,
            (w_birth > 0) & (w_dist > 0),
            (m_birth << 32) | m_dist,
            (m_birth > 0) & (m_dist > 0),
        ),
    )
    w_name_key, m_name_key = _mix(w_pin, w_dist), _mix(m_pin, m_dist)
    w_ok, m_ok = (w_pin > 0) & (w_dist > 0), (m_pin > 0) & (m_dist > 0)
    a = _block(w_name_key, w_ok & (w_birth == 0), m_name_key, m_ok)
    b = _block(w_name_key, w_ok & (w_birth > 0), m_name_key, m_ok & (m_birth == 0))
    add("pinyin_district", (np.concatenate([a[0], b[0]]), np.concatenate([a[1], b[1]])))

    wi = np.concatenate([p[0] for p in parts])
    mi = np.concatenate([p[1] for p in parts])
    bits = np.concatenate([np.full(len(p[0]), p[2], dtype=np.int8) for p in parts])
    keep = workers.pending[wi] | members.pending[mi]
    wi, mi, bits = wi[keep], mi[keep], bits[keep]
    pair = wi * np.int64(max(len(members), 1)) + mi
    order = np.argsort(pair, kind="stable")
    pair, bits = pair[order], bits[order]
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    starts = np.flatnonzero(first)
    merged_bits = np.bitwise_or.reduceat(bits, starts) if len(starts) else bits[:0]
    unique = pair[starts]
    n_m = np.int64(max(len(members), 1))
    return unique // n_m, unique % n_m, merged_bits
