"""The organization finds members (组织找党员): a pure, columnar record-linkage engine.

No ORM and no plaintext identity data: the engine sees blind-index keys, names, birth dates,
genders, districts and industries as column arrays, and returns the proposals as arrays.
:mod:`members.services.two_finds` loads the columns from the database and writes the results.

How a run works (Fellegi–Sunter record linkage):

1. **Blocking** — candidate pairs come only from equal keys, found by sort + binary search
   joins in numpy (never the full cross product):

   * ``id``: equal non-empty ID blind index (the exact rule);
   * ``phone``: equal phone blind index;
   * ``birth_surname``: equal birth date and equal surname pinyin (张/章 meet);
   * ``birth_district``: equal birth date and equal district (a mistyped surname);
   * ``pinyin_district``: equal full-name pinyin and district, only where a side has no birth
     date (no valid ID: birth date and gender are derived from the ID, so the two blocks above
     cannot see these people).

2. **Scoring** — each candidate pair gets one agreement level per field and each level a weight
   ``log2(m / u)``, where ``m`` is the chance of that level for two records of one person and
   ``u`` for two different people (see :data:`FIELD_MODELS`). A missing value on either side is
   neutral (weight 0). The score is the sum of the weights. Names are compared by characters and
   by pinyin with rapidfuzz, once per distinct pair of names, and only for pairs whose other
   fields could still reach the review threshold.

3. **Decision** — with thresholds ``accept`` and ``review`` (settings ``TWO_FINDS_THRESHOLDS``):
   a worker whose best score is ≥ ``accept`` and clearly ahead of any other candidate ≥
   ``accept`` (by :data:`TIE_MARGIN`) is auto-accepted with it and their other candidates are
   discarded (one person is at most one member); a tie, or a worker already linked to a
   member, goes to review; a score between ``review`` and ``accept`` goes to review; below
   ``review`` is discarded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from .names import (
    COMPOUND_SURNAMES,
    char_pinyin,
    name_pinyin,
    normalize_name,
    surname_pinyin,
)

# --- agreement levels ------------------------------------------------------------------------

MISSING = 0  # either side has no value: weight 0
AGREE = 1
DIFFER = 2
CLOSE = 3  # birth date only: one digit of YYYYMMDD differs, or day and month swapped

NAME_EXACT, NAME_HOMOPHONE, NAME_SIMILAR, NAME_PARTIAL, NAME_DIFFERENT = 1, 2, 3, 4, 5

LEVEL_LABELS = {MISSING: "missing", AGREE: "agree", DIFFER: "differ", CLOSE: "close"}
NAME_LABELS = {
    MISSING: "missing",
    NAME_EXACT: "exact",
    NAME_HOMOPHONE: "homophone",
    NAME_SIMILAR: "similar",
    NAME_PARTIAL: "partial",
    NAME_DIFFERENT: "different",
}

#: Name levels from the rapidfuzz ratios (0–100) on characters and on toneless pinyin, tried in
#: this order after "exact" (same characters) and "homophone" (same pinyin). One look-alike
#: character in a three-character name gives a character ratio of 66.7; in a two-character name
#: 50, where the pinyin ratio usually stays ≥ 60 (王伟/玉伟: "wang wei"/"yu wei" = 71).
NAME_SIMILAR_CHARS, NAME_SIMILAR_PINYIN = 66, 85
NAME_PARTIAL_CHARS, NAME_PARTIAL_PINYIN = 50, 60

# --- the model: m and u per field and level ---------------------------------------------------
#
# m = P(level | same person), u = P(level | different people), among pairs where both sides
# have a value. They were set from the error rates expected of rosters (IDs mistyped ~3%,
# phones changed ~15%, moved district ~15%, homophone names ~7%) and from how often different
# people agree by chance (one birth date in ~14,600, one district in ~100), then checked
# against the values observed on the synthetic province of ``bench/two_finds.py`` (m from its
# known links, u from 2M random non-links; ``python -m bench.two_finds --estimate`` prints both
# side by side). The weights lie within ~1.5 bits of the observed ones and err on the cautious
# side, on purpose:
#
# * phone u is 1e-4, far above the random-collision rate (~0 observed), because a phone is not
#   a person: relatives share numbers and operators recycle them. So a phone alone can never
#   auto-accept; it needs a name and a place as well.
# * birth date and gender are derived from the ID number: when both IDs are present and differ,
#   the ID's own weight (-5) plus the birth-date agreement (+13.8) approximates the joint weight
#   of "a typo outside the birth-date digits" (log2(0.017 × 14,600) ≈ 8).
# * the name u values (2e-5 exact, 6e-5 homophone) are above the observed 8.5e-6 / 1.1e-5:
#   real rosters hold more namesakes than generated names do.
#
# In production they should be re-estimated from the reviewers' decisions (confirmed vs.
# rejected proposals) or by EM; the thresholds then follow from the wanted error rates.

FIELD_MODELS: dict[str, dict[int, tuple[float, float]]] = {
    "id_number": {AGREE: (0.97, 1e-7), DIFFER: (0.03, 1.0)},
    "phone": {AGREE: (0.83, 1e-4), DIFFER: (0.17, 1.0)},
    "birth_date": {AGREE: (0.985, 1 / 14_600), CLOSE: (0.012, 3e-3), DIFFER: (0.003, 1.0)},
    "gender": {AGREE: (0.995, 0.5), DIFFER: (0.005, 0.5)},
    "district": {AGREE: (0.85, 0.01), DIFFER: (0.15, 0.99)},
    "industry": {AGREE: (0.75, 0.3), DIFFER: (0.25, 0.7)},
    "name": {
        NAME_EXACT: (0.88, 2e-5),
        NAME_HOMOPHONE: (0.06, 6e-5),
        NAME_SIMILAR: (0.04, 3e-3),
        NAME_PARTIAL: (0.015, 0.03),
        NAME_DIFFERENT: (0.005, 0.97),
    },
}

FIELDS = tuple(FIELD_MODELS)

#: Default thresholds on the summed log2 weight; ``settings.TWO_FINDS_THRESHOLDS`` overrides.
#: Chosen on the benchmark's synthetic province for auto-accept precision ≥ 0.999 with a
#: review queue under 5% of the true links (see bench/two_finds.py).
DEFAULT_THRESHOLDS = {"accept": 27.0, "review": 20.0}

#: A worker's best candidate wins over a second one also above ``accept`` only when it scores
#: this many bits more (2**10: a thousand times likelier); closer is a tie, for review.
TIE_MARGIN = 10.0

BLOCKS = ("id", "phone", "birth_surname", "birth_district", "pinyin_district")
_BLOCK_BIT = {name: 1 << i for i, name in enumerate(BLOCKS)}

#: Status codes of :attr:`MatchResult.status`.
AUTO, REVIEW, DISCARD = 1, 2, 3


def weight_table(levels: dict[int, tuple[float, float]]) -> np.ndarray:
    """Weights indexed by level: ``log2(m / u)``, 0 for MISSING."""
    table = np.zeros(max(levels) + 1, dtype=np.float32)
    for level, (m, u) in levels.items():
        table[level] = math.log2(m / u)
    return table


WEIGHTS: dict[str, np.ndarray] = {
    name: weight_table(levels) for name, levels in FIELD_MODELS.items()
}


# --- input columns ---------------------------------------------------------------------------


_NIBBLE = np.zeros(256, dtype=np.uint8)
_NIBBLE[np.frombuffer(b"0123456789abcdef", np.uint8)] = np.arange(16, dtype=np.uint8)
_NIBBLE[np.frombuffer(b"ABCDEF", np.uint8)] = np.arange(10, 16, dtype=np.uint8)


def index_keys(values: Sequence[str]) -> np.ndarray:
    """uint64 keys from hex blind indexes: the first 16 hex digits parsed (64 bits of a keyed
    HMAC, so equal keys are equal values up to a ~1e-19 chance per pair); ``""`` gives 0.
    Vectorized: ASCII bytes → nibbles → bytes, no Python loop per value."""
    raw = np.array(values, dtype="S16")
    if raw.size == 0:
        return np.zeros(0, np.uint64)
    nibbles = _NIBBLE[raw.view(np.uint8).reshape(-1, 16)]
    packed = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]
    keys = np.ascontiguousarray(packed).view(">u8").ravel().astype(np.uint64)
    keys[raw == b""] = 0
    return keys


def district_code(region_code: str | None) -> int:
    """The district a region lies in, as an int: the first six digits of its GB/T 2260 code."""
    digits = (region_code or "")[:6]
    return int(digits) if len(digits) == 6 and digits.isdigit() else 0


GENDER_CODES = {"": 0, "male": 1, "female": 2}


class NameTable:
    """Name keys shared by both sides of a match, computed with numpy, not per name.

    A name of up to four CJK characters (nearly all Chinese names) is packed into a uint64
    *name key* of four 16-bit character ids; its toneless pinyin into a *pinyin key* of four
    12-bit syllable ids, and its surname (one character, or two for 复姓) into a *surname key*.
    Equal keys mean equal names (or equal pinyin: homophones). Each distinct character is
    converted to pinyin once (``members.names.char_pinyin``). Longer or unusual names
    (transcribed names with a middle dot, Latin letters) take a Python path and get keys with
    the top bit set. Key 0 means no name. Strings are rebuilt only for the pairs compared with
    rapidfuzz.
    """

    WIDTH = 4  # characters packed in a key
    _SLOW = np.uint64(1 << 63)

    def __init__(self) -> None:
        self._char_id = np.zeros(0x110000, dtype=np.uint16)  # code point -> dense id (0 = none)
        self._char_cp = [0]  # id -> code point
        self._char_syllable = [0]  # id -> syllable id
        self._syllable_id: dict[str, int] = {"": 0}
        self.syllables: list[str] = [""]
        self._slow_name: dict[str, int] = {}
        self._slow_pinyin: dict[str, int] = {}
        self._slow_text: dict[int, tuple[str, str]] = {}  # slow name key -> (name, pinyin)
        compound = [(ord(c[0]) << 16) | ord(c[1]) for c in COMPOUND_SURNAMES]
        self._compound_cps = np.array(sorted(compound), dtype=np.int64)

    # --- encoding ---------------------------------------------------------------------------

    def _syllable(self, text: str) -> int:
        sid = self._syllable_id.get(text)
        if sid is None:
            sid = self._syllable_id[text] = len(self.syllables)
            self.syllables.append(text)
            if sid >= 4096:
                raise OverflowError("more than 4,096 distinct pinyin syllables")
        return sid

    def _register_chars(self, codepoints: np.ndarray) -> None:
        seen = np.zeros(0x110000, dtype=bool)
        seen[codepoints.ravel()] = True
        seen[0] = False
        new = np.flatnonzero(seen & (self._char_id == 0))
        for cp in new.tolist():
            if len(self._char_cp) >= 65535:
                raise OverflowError("more than 65,535 distinct name characters")
            self._char_id[cp] = len(self._char_cp)
            self._char_cp.append(cp)
            self._char_syllable.append(self._syllable(char_pinyin(chr(cp))))

    def encode(self, names: Sequence[str]) -> np.ndarray:
        """The uint64 name keys of ``names``."""
        n = len(names)
        if n == 0:
            return np.zeros(0, dtype=np.uint64)
        text = np.array(names, dtype=f"U{self.WIDTH + 1}")
        cps = text.view(np.uint32).reshape(n, self.WIDTH + 1).astype(np.int64)
        cjk = (cps >= 0x3400) & (cps <= 0x9FFF) | (cps >= 0x20000) & (cps <= 0x3134F)
        fast = (cps[:, self.WIDTH] == 0) & np.all(cjk | (cps == 0), axis=1)
        cps = cps[:, : self.WIDTH]
        self._register_chars(cps[fast])
        ids = self._char_id[cps].astype(np.uint64)
        ids[~fast] = 0
        keys = np.zeros(n, dtype=np.uint64)
        for k in range(self.WIDTH):
            keys |= ids[:, k] << np.uint64(16 * (self.WIDTH - 1 - k))
        for i in np.flatnonzero(~fast).tolist():
            keys[i] = self._slow_key(names[i] or "")
        return keys

    def _slow_key(self, name: str) -> int:
        normalized = normalize_name(name)
        if not normalized:
            return 0
        if len(normalized) <= self.WIDTH and all(
            "\u3400" <= c <= "\u9fff" or "\U00020000" <= c <= "\U0003134f" for c in normalized
        ):
            return int(self.encode([normalized])[0])
        key = self._slow_name.get(normalized)
        if key is None:
            key = int(self._SLOW) | (len(self._slow_name) + 1)
            self._slow_name[normalized] = key
            self._slow_text[key] = (normalized, name_pinyin(normalized))
        return key

    # --- keys derived from name keys ----------------------------------------------------------

    def _char_ids(self, keys: np.ndarray) -> np.ndarray:
        keys = np.where(keys & self._SLOW, np.uint64(0), keys)
        return np.stack(
            [(keys >> np.uint64(16 * (self.WIDTH - 1 - k))) & np.uint64(0xFFFF) for k in range(4)],
            axis=1,
        ).astype(np.int64)

    def pinyin_keys(self, keys: np.ndarray) -> np.ndarray:
        """Equal for names that sound the same (toneless); 0 for no name."""
        syllable = np.array(self._char_syllable, dtype=np.uint64)[self._char_ids(keys)]
        out = np.zeros(len(keys), dtype=np.uint64)
        for k in range(self.WIDTH):
            out |= syllable[:, k] << np.uint64(12 * (self.WIDTH - 1 - k))
        for i in np.flatnonzero(keys & self._SLOW).tolist():
            pinyin = self._slow_text[int(keys[i])][1]
            code = self._slow_pinyin.setdefault(pinyin, len(self._slow_pinyin) + 1)
            out[i] = int(self._SLOW) | code
        return out

    def surname_keys(self, keys: np.ndarray) -> np.ndarray:
        """The pinyin of the surname (two characters for a compound surname); 0 for none."""
        fast = np.where(keys & self._SLOW, np.uint64(0), keys)
        first = (fast >> np.uint64(48)).astype(np.int64)
        second = ((fast >> np.uint64(32)) & np.uint64(0xFFFF)).astype(np.int64)
        cp = np.array(self._char_cp, dtype=np.int64)
        syllable = np.array(self._char_syllable, dtype=np.int64)
        compound = np.isin((cp[first] << 16) | cp[second], self._compound_cps)
        out = np.where(compound, (syllable[first] << 12) | syllable[second], syllable[first])
        for i in np.flatnonzero(keys & self._SLOW).tolist():
            name = self._slow_text[int(keys[i])][0]
            out[i] = self._syllable(surname_pinyin(name)) if name else 0
        return out.astype(np.uint64)

    def texts(self, keys: np.ndarray) -> tuple[list[str], list[str]]:
        """The names and their pinyin (syllables separated by spaces) for ``keys``."""
        ids = self._char_ids(keys)
        cps = np.array(self._char_cp, dtype=np.uint32)[ids]
        names = np.ascontiguousarray(cps).view(f"U{self.WIDTH}").ravel()
        table = np.array(self.syllables)
        syllables = table[np.array(self._char_syllable, dtype=np.int64)[ids]]
        pinyin = syllables[:, 0]
        for k in range(1, self.WIDTH):
            pinyin = np.strings.add(np.strings.add(pinyin, " "), syllables[:, k])
        pinyin = np.strings.rstrip(pinyin)
        name_list, pinyin_list = names.tolist(), pinyin.tolist()
        for i in np.flatnonzero(keys & self._SLOW).tolist():
            name_list[i], pinyin_list[i] = self._slow_text[int(keys[i])]
        return name_list, pinyin_list

    def name_of(self, key: int) -> str:
        return self.texts(np.array([key], dtype=np.uint64))[0][0]


@dataclass
class People:
    """One side of the match as columns (all arrays of one length, one row per person).

    ``birth`` is ``date.toordinal()`` (0 = unknown), ``gender`` 0/1/2 (unknown/male/female),
    ``district`` the six-digit district code (0 = unknown), ``industry`` an id (0 = unknown).
    ``pending`` marks the rows that are new or changed since they were last matched; pairs
    with neither side pending are skipped. ``linked`` (workers) marks people already accepted
    as a member, who can therefore not be auto-accepted again.
    """

    pk: np.ndarray
    id_key: np.ndarray
    phone_key: np.ndarray
    name_key: np.ndarray
    birth: np.ndarray
    gender: np.ndarray
    district: np.ndarray
    industry: np.ndarray
    pending: np.ndarray | None = None
    linked: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.pk)
        self.pk = np.asarray(self.pk, dtype=np.int64)
        self.id_key = np.asarray(self.id_key, dtype=np.uint64)
        self.phone_key = np.asarray(self.phone_key, dtype=np.uint64)
        self.name_key = np.asarray(self.name_key, dtype=np.uint64)
        self.birth = np.asarray(self.birth, dtype=np.int64)
        self.gender = np.asarray(self.gender, dtype=np.int8)
        self.district = np.asarray(self.district, dtype=np.int64)
        self.industry = np.asarray(self.industry, dtype=np.int64)
        self.pending = (
            np.ones(n, dtype=bool) if self.pending is None else np.asarray(self.pending, bool)
        )
        self.linked = (
            np.zeros(n, dtype=bool) if self.linked is None else np.asarray(self.linked, bool)
        )
        for name in ("id_key", "phone_key", "name_key", "birth", "gender", "district"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"column {name} has {len(getattr(self, name))} rows, not {n}")

    def __len__(self) -> int:
        return len(self.pk)


def people_from_rows(
    rows: Sequence[tuple], names: NameTable, *, district_of: dict[int, int] | None = None
) -> People:
    """Columns from database rows ``(pk, id_number_index, phone_index, name, birth_date,
    gender, region_id, industry_id, pending, linked)``; ``district_of`` maps a region id to
    its district code. Dates may be ``date`` objects or ordinals."""
    district_of = district_of or {}
    n = len(rows)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return People(empty, empty, empty, empty, empty, empty, empty, empty)
    pk, id_index, phone_index, name, birth, gender, region, industry, pending, linked = zip(
        *rows, strict=True
    )
    return People(
        pk=np.fromiter(pk, np.int64, n),
        id_key=index_keys(list(id_index)),
        phone_key=index_keys(list(phone_index)),
        name_key=names.encode(name),
        birth=np.fromiter(
            (0 if b is None else (b if isinstance(b, int) else b.toordinal()) for b in birth),
            np.int64,
            n,
        ),
        gender=np.fromiter((GENDER_CODES.get(g or "", 0) for g in gender), np.int8, n),
        district=np.fromiter((district_of.get(r, 0) for r in region), np.int64, n),
        industry=np.fromiter((i or 0 for i in industry), np.int64, n),
        pending=np.fromiter(pending, bool, n),
        linked=np.fromiter(linked, bool, n),
    )


# --- blocking --------------------------------------------------------------------------------


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
    m_pin = names.pinyin_keys(members.name_key)
    no_birth = (
        np.flatnonzero(workers.birth == 0) if (members.birth > 0).all() else np.arange(len(workers))
    )
    w_pin[no_birth] = names.pinyin_keys(workers.name_key[no_birth])
    w_birth, m_birth = workers.birth, members.birth
    w_dist, m_dist = workers.district, members.district

    parts: list[tuple[np.ndarray, np.ndarray, int]] = []

    def add(block: str, joined) -> None:
        parts.append((*joined, _BLOCK_BIT[block]))

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


# --- scoring ---------------------------------------------------------------------------------


def _level(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MISSING where either side is 0, else AGREE or DIFFER."""
    level = np.where(a == b, AGREE, DIFFER).astype(np.int8)
    level[(a == 0) | (b == 0)] = MISSING
    return level


def _yyyymmdd(ordinals: np.ndarray) -> np.ndarray:
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
    level = _level(a, b)
    differ = np.flatnonzero(level == DIFFER)
    if len(differ):
        x, y = _yyyymmdd(a[differ]), _yyyymmdd(b[differ])
        digits_off = np.zeros(len(differ), dtype=np.int8)
        for k in range(8):
            p = 10**k
            digits_off += (x // p % 10) != (y // p % 10)
        swapped = (
            (x // 10_000 == y // 10_000) & (x % 100 == y // 100 % 100) & (x // 100 % 100 == y % 100)
        )
        level[differ[(digits_off == 1) | swapped]] = CLOSE
    return level


def name_levels(
    w_keys: np.ndarray, m_keys: np.ndarray, names: NameTable, workers: int = 2
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Name agreement levels and the (character, pinyin) rapidfuzz ratios of pairs of name
    keys. Equal keys and equal pinyin keys need no string work; the rest is compared once per
    distinct pair of names with ``process.cpdist`` (C++, ``workers`` threads)."""
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
        level[compare[rest]] = sub[rest]
    level[(w_keys == 0) | (m_keys == 0)] = MISSING
    return level, char_ratio, pinyin_ratio


# --- the result ------------------------------------------------------------------------------


@dataclass
class MatchResult:
    """Kept proposals (auto-accept and review) as arrays, plus the run's counts.

    ``worker``/``member`` are row numbers into the inputs; ``worker_pk``/``member_pk`` the
    primary keys. ``levels`` holds one int8 array per field (see ``LEVEL_LABELS``).
    """

    worker: np.ndarray
    member: np.ndarray
    worker_pk: np.ndarray
    member_pk: np.ndarray
    score: np.ndarray
    status: np.ndarray
    exact: np.ndarray
    blocks: np.ndarray
    levels: dict[str, np.ndarray]
    char_ratio: np.ndarray
    pinyin_ratio: np.ndarray
    counts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.worker)

    def rule(self, i: int) -> str:
        return "exact_id" if self.exact[i] else "fuzzy"

    def evidence(self, i: int, names: NameTable, workers: People, members: People) -> dict:
        """The per-field evidence of proposal ``i``: level and weight of each field, the two
        names with their ratios, the blocks that proposed the pair. No ID or phone values."""
        fields: dict[str, Any] = {}
        for name in FIELDS:
            level = int(self.levels[name][i])
            labels = NAME_LABELS if name == "name" else LEVEL_LABELS
            fields[name] = {"level": labels[level], "weight": round(float(WEIGHTS[name][level]), 2)}
        fields["name"].update(
            worker=names.name_of(int(workers.name_key[self.worker[i]])),
            member=names.name_of(int(members.name_key[self.member[i]])),
            char_ratio=round(float(self.char_ratio[i]), 1),
            pinyin_ratio=round(float(self.pinyin_ratio[i]), 1),
        )
        bits = int(self.blocks[i])
        return {
            "fields": fields,
            "score": round(float(self.score[i]), 2),
            "blocks": [b for b in BLOCKS if bits & _BLOCK_BIT[b]],
        }


def _decide(wi: np.ndarray, score: np.ndarray, linked: np.ndarray, accept: float, review: float):
    """Status per pair. A worker not yet linked to a member whose best score is ≥ ``accept``
    and beats every other candidate ≥ ``accept`` by :data:`TIE_MARGIN` is AUTO with it, and
    their other pairs DISCARD (one person is at most one member). Otherwise pairs ≥ ``review``
    go to REVIEW, except that for a worker already linked only pairs ≥ ``accept`` do."""
    status = np.full(len(wi), DISCARD, dtype=np.int8)
    if not len(wi):
        return status
    order = np.lexsort((-score, wi))
    w_sorted, s = wi[order], score[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = w_sorted[1:] != w_sorted[:-1]
    group = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    best = s[starts][group]
    # The runner-up of each group (−inf when alone): the element after each group's first.
    second_at = starts + 1
    has_second = np.zeros(len(starts), dtype=bool)
    has_second[:-1] = second_at[:-1] < starts[1:]
    has_second[-1] = second_at[-1] < len(order)
    runner_up = np.full(len(starts), -np.inf, dtype=np.float64)
    runner_up[has_second] = s[second_at[has_second]]
    runner_up = runner_up[group]
    is_linked = linked[w_sorted]
    clear_winner = (best >= accept) & ((runner_up < accept) | (best - runner_up >= TIE_MARGIN))
    sole = clear_winner & ~is_linked
    sorted_status = np.full(len(order), DISCARD, dtype=np.int8)
    sorted_status[sole & first] = AUTO
    ambiguous = ~sole & (s >= review) & ~(is_linked & (s < accept))
    sorted_status[ambiguous] = REVIEW
    status[order] = sorted_status
    return status


def match(
    workers: People,
    members: People,
    names: NameTable,
    *,
    thresholds: dict[str, float] | None = None,
    excluded_pairs: Iterable[tuple[int, int]] = (),
    fuzz_workers: int = 2,
) -> MatchResult:
    """Match ``workers`` against ``members`` (both encoded with the same ``names`` table).

    ``excluded_pairs`` are (worker pk, member pk) pairs decided "not a match": they are dropped
    before the decision, so they are never proposed again and cannot make a worker ambiguous.
    """
    limits = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    accept, review = float(limits["accept"]), float(limits["review"])
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

    levels = {
        "id_number": _level(workers.id_key[wi], members.id_key[mi]),
        "phone": _level(workers.phone_key[wi], members.phone_key[mi]),
        "birth_date": birth_levels(workers.birth[wi], members.birth[mi]),
        "gender": _level(workers.gender[wi], members.gender[mi]),
        "district": _level(workers.district[wi], members.district[mi]),
        "industry": _level(workers.industry[wi], members.industry[mi]),
    }
    partial = np.zeros(len(wi), dtype=np.float32)
    for name, level in levels.items():
        partial += WEIGHTS[name][level]
    # Cheap pre-filter: a pair that cannot reach review even with identical names is dropped
    # before any string comparison.
    reachable = np.flatnonzero(partial + WEIGHTS["name"].max() >= review)
    counts["discarded_before_names"] = len(wi) - len(reachable)
    wi, mi, bits, partial = wi[reachable], mi[reachable], bits[reachable], partial[reachable]
    levels = {name: level[reachable] for name, level in levels.items()}
    name_level, char_ratio, pinyin_ratio = name_levels(
        workers.name_key[wi], members.name_key[mi], names, workers=fuzz_workers
    )
    levels["name"] = name_level
    score = partial + WEIGHTS["name"][name_level]

    status = _decide(wi, score, workers.linked, accept, review)
    keep = np.flatnonzero(status != DISCARD)
    exact = levels["id_number"] == AGREE
    counts.update(
        exact=int(exact.sum()),
        auto_accepted=int((status == AUTO).sum()),
        review=int((status == REVIEW).sum()),
        discarded=counts["candidates"] - counts.get("excluded", 0) - len(keep),
    )
    return MatchResult(
        worker=wi[keep],
        member=mi[keep],
        worker_pk=workers.pk[wi[keep]],
        member_pk=members.pk[mi[keep]],
        score=score[keep],
        status=status[keep],
        exact=exact[keep],
        blocks=bits[keep],
        levels={name: level[keep] for name, level in levels.items()},
        char_ratio=char_ratio[keep],
        pinyin_ratio=pinyin_ratio[keep],
        counts=counts,
    )


def score_pairs(
    workers: People, members: People, names: NameTable, wi: np.ndarray, mi: np.ndarray
) -> np.ndarray:
    """The score of given pairs with the same scorer (no blocking, no decision): used by the
    benchmark to time comparing all pairs on a sample."""
    score = np.zeros(len(wi), dtype=np.float32)
    score += WEIGHTS["id_number"][_level(workers.id_key[wi], members.id_key[mi])]
    score += WEIGHTS["phone"][_level(workers.phone_key[wi], members.phone_key[mi])]
    score += WEIGHTS["birth_date"][birth_levels(workers.birth[wi], members.birth[mi])]
    score += WEIGHTS["gender"][_level(workers.gender[wi], members.gender[mi])]
    score += WEIGHTS["district"][_level(workers.district[wi], members.district[mi])]
    score += WEIGHTS["industry"][_level(workers.industry[wi], members.industry[mi])]
    level, _, _ = name_levels(workers.name_key[wi], members.name_key[mi], names)
    score += WEIGHTS["name"][level]
    return score
