"""Name keys for the engine: folded names packed into integers, with their sound and shape.

See :class:`NameTable`. The per-character functions live in :mod:`members.names`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..names import (
    COMPOUND_SURNAMES,
    char_pinyin,
    fold_char,
    fuzzy_syllable,
    name_pinyin,
    normalize_name,
    shape_code,
    surname_pinyin,
)


class NameTable:
    """Name keys shared by both sides of a match, computed with numpy, not per name.

    A name of up to four CJK characters (nearly all Chinese names) is packed into a uint64
    *name key* of four 16-bit character ids; its toneless pinyin into a *pinyin key* of four
    12-bit syllable ids, and its surname (one character, or two for 复姓) into a *surname key*.
    Equal keys mean equal names (or equal pinyin: homophones). Names are folded first
    (``members.names.fold_char``: traditional → simplified, full-width → half-width,
    separators dropped), through a code-point table filled once per distinct character. Each
    distinct character is converted to pinyin once (``members.names.char_pinyin``), and gets
    its merged-sound syllable (``fuzzy_syllable``) and its four-corner shape code
    (``shape_code``) for the look-alike level. Longer or unusual names
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
        self._char_fuzzy = [0]  # id -> merged-sound syllable id
        self._char_shape = [0]  # id -> four-corner code (0 = unknown)
        self._fold = np.full(0x110000, -1, dtype=np.int32)  # code point -> folded (0 = drop)
        self._fold[0] = 0
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
            syllable = char_pinyin(chr(cp))
            self._char_syllable.append(self._syllable(syllable))
            self._char_fuzzy.append(self._syllable(fuzzy_syllable(syllable)))
            self._char_shape.append(shape_code(chr(cp)))

    def _folded(self, cps: np.ndarray) -> np.ndarray:
        """``cps`` (rows of code points) folded, dropped characters removed (zeros last)."""
        new = np.unique(cps[self._fold[cps] < 0])
        for cp in new.tolist():
            folded = fold_char(chr(cp))
            self._fold[cp] = ord(folded) if len(folded) == 1 else (0 if not folded else cp)
        out = self._fold[cps].astype(np.int64)
        if (out[:, :-1] == 0).any():
            order = np.argsort(out == 0, axis=1, kind="stable")
            out = np.take_along_axis(out, order, axis=1)
        return out

    def encode(self, names: Sequence[str]) -> np.ndarray:
        """The uint64 name keys of ``names``."""
        n = len(names)
        if n == 0:
            return np.zeros(0, dtype=np.uint64)
        width = 2 * self.WIDTH + 1  # room for separators; a longer name takes the slow path
        text = np.array(names, dtype=f"U{width}")
        raw = text.view(np.uint32).reshape(n, width).astype(np.int64)
        cps = self._folded(raw)
        cjk = (cps >= 0x3400) & (cps <= 0x9FFF) | (cps >= 0x20000) & (cps <= 0x3134F)
        fast = (
            (raw[:, -1] == 0)
            & (cps[:, self.WIDTH] == 0)
            & np.all(cjk[:, : self.WIDTH] | (cps[:, : self.WIDTH] == 0), axis=1)
        )
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

    def fuzzy_keys(self, keys: np.ndarray) -> np.ndarray:
        """Equal for names that sound alike with merged initials and nasals (陈玲/程林)."""
        syllable = np.array(self._char_fuzzy, dtype=np.uint64)[self._char_ids(keys)]
        out = np.zeros(len(keys), dtype=np.uint64)
        for k in range(self.WIDTH):
            out |= syllable[:, k] << np.uint64(12 * (self.WIDTH - 1 - k))
        slow = np.flatnonzero(keys & self._SLOW)
        if len(slow):
            out[slow] = self.pinyin_keys(keys[slow])
        return out

    def char_ids(self, keys: np.ndarray) -> np.ndarray:
        """(n, 4) dense character ids of fast keys (zeros for slow keys and past the end)."""
        return self._char_ids(keys)

    def fuzzy_of(self, ids: np.ndarray) -> np.ndarray:
        """Merged-sound syllable ids of character ids."""
        return np.array(self._char_fuzzy, dtype=np.int64)[ids]

    def shape_of(self, ids: np.ndarray) -> np.ndarray:
        """Four-corner codes of character ids (0 = unknown)."""
        return np.array(self._char_shape, dtype=np.int64)[ids]

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
