"""Agreement levels: how one field of a worker compares with the same field of a member.

Each function takes the two sides' columns for a list of pairs and returns one int8 level per
pair. ``MISSING`` (either side has no value) is neutral: it weighs 0 in every model.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from rapidfuzz import fuzz, process

from .columns import People
from .names import NameTable

MISSING = 0  # either side has no value: weight 0
AGREE = 1
DIFFER = 2
CLOSE = 3  # birth date: one digit of YYYYMMDD differs, or day and month swapped
TYPO = 3  # ID numbers: a clerk's pattern (one digit changed, two adjacent digits swapped)

NAME_EXACT, NAME_HOMOPHONE, NAME_SIMILAR, NAME_PARTIAL, NAME_DIFFERENT, NAME_ALIKE = range(1, 7)

LEVEL_LABELS = {MISSING: "missing", AGREE: "agree", DIFFER: "differ", CLOSE: "close"}
ID_LABELS = {MISSING: "missing", AGREE: "agree", DIFFER: "differ", TYPO: "typo"}
NAME_LABELS = {
    MISSING: "missing",
    NAME_EXACT: "exact",
    NAME_HOMOPHONE: "homophone",
    NAME_ALIKE: "alike",
    NAME_SIMILAR: "similar",
    NAME_PARTIAL: "partial",
    NAME_DIFFERENT: "different",
}

#: Name levels from the rapidfuzz ratios (0–100) on characters and on toneless pinyin, tried
#: after "exact" (same folded characters), "homophone" (same pinyin) and "alike" (one
#: character that sounds or looks alike). One wrong character in a three-character name gives
#: a character ratio of 66.7; in a two-character name 50.
NAME_SIMILAR_CHARS, NAME_SIMILAR_PINYIN = 66, 85
NAME_PARTIAL_CHARS, NAME_PARTIAL_PINYIN = 50, 60

#: ``id_typo(worker_rows, member_rows) -> bool array``: whether two different ID numbers
#: differ by a clerk's pattern. The engine never sees ID values; the job answers this by
#: comparing the digits of the few pairs it asks about (``members.finds.identity``).
IdTypo = Callable[[np.ndarray, np.ndarray], np.ndarray]


def plain_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MISSING where either side is 0, else AGREE or DIFFER."""
    level = np.where(a == b, AGREE, DIFFER).astype(np.int8)
    level[(a == 0) | (b == 0)] = MISSING
    return level


def yyyymmdd(ordinals: np.ndarray) -> np.ndarray:
    days = (ordinals - 719_163).astype("datetime64[D]")  # 719,163 = date(1970, 1, 1).toordinal()
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    y = years.astype(np.int64) + 1970
    m = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    d = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y * 10_000 + m * 100 + d


def birth_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """AGREE, CLOSE (one digit of YYYYMMDD differs, or day and month swapped: a typo), DIFFER,
    or MISSING."""
    level = plain_levels(a, b)
    differ = np.flatnonzero(level == DIFFER)
    if len(differ):
        x, y = yyyymmdd(a[differ]), yyyymmdd(b[differ])
        digits_off = np.zeros(len(differ), dtype=np.int8)
        for k in range(8):
            p = 10**k
            digits_off += (x // p % 10) != (y // p % 10)
        swapped = (
            (x // 10_000 == y // 10_000) & (x % 100 == y // 100 % 100) & (x // 100 % 100 == y % 100)
        )
        level[differ[(digits_off == 1) | swapped]] = CLOSE
    return level


def id_levels(
    workers: People,
    members: People,
    wi: np.ndarray,
    mi: np.ndarray,
    *,
    ask: np.ndarray | None = None,
    id_typo: IdTypo | None = None,
) -> np.ndarray:
    """AGREE, DIFFER, TYPO or MISSING. Two *different* stored ID numbers are both valid
    (intake refuses a bad check digit), and GB 11643's MOD 11-2 check digit catches every
    single changed digit and every swap of two adjacent digits: so a pair that differs by such
    a pattern can only be a clerk's slip with the check digit recomputed (a form that fills
    it in), which ``id_typo`` recognizes (for the pairs in ``ask``); every other difference
    is two real, different numbers: strong evidence of two people."""
    level = plain_levels(workers.id_key[wi], members.id_key[mi])
    if id_typo is not None:
        differ = np.flatnonzero(level == DIFFER)
        if ask is not None:
            differ = differ[ask[differ]]
        if len(differ):
            typo = np.asarray(id_typo(wi[differ], mi[differ]), dtype=bool)
            level[differ[typo]] = TYPO
    return level


def name_levels(
    w_keys: np.ndarray, m_keys: np.ndarray, names: NameTable, workers: int = 2
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Name agreement levels and the (character, pinyin) rapidfuzz ratios of pairs of name
    keys. Equal keys and equal pinyin keys need no string work; one differing character that
    sounds alike (merged initials and nasals) or looks alike (four-corner codes one corner
    apart) is "alike"; the rest is compared once per distinct pair of names with
    ``process.cpdist`` (C++, ``workers`` threads)."""
    n = len(w_keys)
    level = np.full(n, NAME_DIFFERENT, dtype=np.int8)
    char_ratio = np.full(n, 100, dtype=np.float32)
    pinyin_ratio = np.full(n, 100, dtype=np.float32)
    level[w_keys == m_keys] = NAME_EXACT
    w_pin, m_pin = names.pinyin_keys(w_keys), names.pinyin_keys(m_keys)
    homophone = (w_keys != m_keys) & (w_pin == m_pin)
    level[homophone] = NAME_HOMOPHONE
    compare = np.flatnonzero(w_keys != m_keys)
    if len(compare):
        a, b = w_keys[compare], m_keys[compare]
        order = np.lexsort((b, a))
        first = np.ones(len(order), dtype=bool)
        first[1:] = (a[order][1:] != a[order][:-1]) | (b[order][1:] != b[order][:-1])
        inverse = np.empty(len(order), dtype=np.int64)
        inverse[order] = np.cumsum(first) - 1
        distinct = order[first]
        a_names, a_pinyin = names.texts(a[distinct])
        b_names, b_pinyin = names.texts(b[distinct])
        chars = process.cpdist(a_names, b_names, scorer=fuzz.ratio, workers=workers)
        sounds = process.cpdist(a_pinyin, b_pinyin, scorer=fuzz.ratio, workers=workers)
        c = chars.astype(np.float32)[inverse]
        p = sounds.astype(np.float32)[inverse]
        char_ratio[compare], pinyin_ratio[compare] = c, p
        rest = level[compare] == NAME_DIFFERENT
        sub = np.full(len(compare), NAME_DIFFERENT, dtype=np.int8)
        sub[(c >= NAME_PARTIAL_CHARS) | (p >= NAME_PARTIAL_PINYIN)] = NAME_PARTIAL
        sub[(c >= NAME_SIMILAR_CHARS) | (p >= NAME_SIMILAR_PINYIN)] = NAME_SIMILAR
        sub[_one_alike(a, b, names)] = NAME_ALIKE
        level[compare[rest]] = sub[rest]
    level[(w_keys == 0) | (m_keys == 0)] = MISSING
    return level, char_ratio, pinyin_ratio


def _one_alike(a: np.ndarray, b: np.ndarray, names: NameTable) -> np.ndarray:
    """Names of equal length differing in exactly one character, that one alike in sound
    (merged syllables) or in shape (four-corner codes one corner apart)."""
    x, y = names.char_ids(a), names.char_ids(b)
    same_length = ((x > 0).sum(axis=1) == (y > 0).sum(axis=1)) & (x[:, 0] > 0)
    differ = x != y
    one = same_length & (differ.sum(axis=1) == 1)
    rows = np.flatnonzero(one)
    out = np.zeros(len(a), dtype=bool)
    if not len(rows):
        return out
    at = differ[rows].argmax(axis=1)
    cx, cy = x[rows, at], y[rows, at]
    sound = names.fuzzy_of(cx) == names.fuzzy_of(cy)
    sx, sy = names.shape_of(cx), names.shape_of(cy)
    corners = np.zeros(len(rows), dtype=np.int8)
    for k in range(4):
        corners += (sx // 10**k) % 10 != (sy // 10**k) % 10
    shape = (sx > 0) & (sy > 0) & (corners <= 1)
    out[rows] = sound | shape
    return out


def clerk_patterns(a: list[str], b: list[str]) -> np.ndarray:
    """For pairs of 18-character ID numbers: whether the first 17 characters differ in
    exactly one place, or by two adjacent characters swapped (the check digit is ignored: a
    form that recomputes it hides the slip from the checksum)."""
    if not a:
        return np.zeros(0, dtype=bool)
    x = np.array([s[:17] for s in a], dtype="S17").view(np.uint8).reshape(-1, 17)
    y = np.array([s[:17] for s in b], dtype="S17").view(np.uint8).reshape(-1, 17)
    differ = x != y
    count = differ.sum(axis=1)
    swap = np.zeros(len(a), dtype=bool)
    two = np.flatnonzero(count == 2)
    if len(two):
        at = differ[two].argmax(axis=1)
        nxt = np.minimum(at + 1, 16)
        rows = np.arange(len(two))
        adjacent = differ[two][rows, nxt]
        swapped = (x[two][rows, at] == y[two][rows, nxt]) & (x[two][rows, nxt] == y[two][rows, at])
        swap[two] = adjacent & swapped
    return (count == 1) | swap
