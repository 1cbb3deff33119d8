"""Name keys for matching: pinyin without tones, so that homophones (张/章) meet.

Characters are converted one by one through a cache: a province roster has millions of names
but only a few thousand distinct characters, and both sides of a match use the same function.
"""

from __future__ import annotations

import functools
import unicodedata

from pypinyin import Style, lazy_pinyin

#: Two-character surnames (复姓) that must be kept whole.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 "  # noqa: SIM905 (a readable list)
    "宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 百里".split()
)


@functools.lru_cache(maxsize=65536)
def char_pinyin(char: str) -> str:
    """The toneless pinyin of one character; anything else (Latin letters, digits) lower-cased."""
    if "\u4e00" <= char <= "\u9fff":
        return lazy_pinyin(char, style=Style.NORMAL)[0]
    return char.lower() if char.isalnum() else ""


def normalize_name(name: str) -> str:
    """Folded for comparison (:func:`fold_name`): simplified, half-width, no separators."""
    return fold_name(name)


@functools.lru_cache(maxsize=262_144)
def name_pinyin(name: str) -> str:
    """The toneless pinyin of a whole name, syllables separated by spaces."""
    return " ".join(p for p in map(char_pinyin, normalize_name(name)) if p)


def surname(name: str) -> str:
    text = normalize_name(name)
    return text[:2] if text[:2] in COMPOUND_SURNAMES else text[:1]


def surname_pinyin(name: str) -> str:
    return "".join(map(char_pinyin, surname(name)))


# --- folding before comparison --------------------------------------------------------------
#
# Rosters write one name in several ways: traditional characters (陳 for 陈, from Hong Kong,
# Macau or Taiwan IDs, or an input method left in traditional mode), full-width Latin letters
# and digits, and separators in transcribed names (阿卜杜·热合曼, 阿卜杜 热合曼, 阿卜杜.热合曼).
# Both sides are folded the same way, character by character (a name has no phrases for
# OpenCC's phrase tables to act on), so a folded name compares equal to the simplified one.

#: Characters dropped from names: spaces, middle dots and the marks used in their place.
SEPARATORS = frozenset(" \u3000·•‧・.．-－_＿,，")


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc  # OpenCC's own Python package (maintained conversion tables)

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """One character folded: ``""`` for a separator; full-width → half-width (NFKC);
    traditional → simplified (OpenCC ``t2s``); Latin letters lower-cased. A character that
    would fold into several keeps itself."""
    if char in SEPARATORS or not char.strip():
        return ""
    text = unicodedata.normalize("NFKC", char)
    if len(text) != 1:
        return char
    if "\u3400" <= text <= "\u9fff" or "\U00020000" <= text <= "\U0003134f":
        converted = _t2s().convert(text)
        text = converted if len(converted) == 1 else text
    return text.lower()


def fold_name(name: str) -> str:
    """The name as compared: each character folded by :func:`fold_char`."""
    return "".join(map(fold_char, (name or "").strip()))


# --- sound and shape of one character --------------------------------------------------------

#: Initials and finals that many speakers (and so typists with a pinyin input method) do not
#: tell apart: zh/z, ch/c, sh/s, n/l, and the front/back nasals -n/-ng (陈 chen / 程 cheng,
#: 林 lin / 玲 ling).
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


@functools.lru_cache(maxsize=8192)
def fuzzy_syllable(syllable: str) -> str:
    """A toneless syllable with the confusable sounds merged (``cheng`` → ``cen``)."""
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable


@functools.lru_cache(maxsize=1)
def _four_corner():
    from four_corner_method import FourCornerMethod  # the four-corner index (四角号码)

    return FourCornerMethod()


@functools.lru_cache(maxsize=65536)
def shape_code(char: str) -> int:
    """The four-corner code of a character (四角号码, its first four digits) as an int, or
    0 when unknown. Characters whose codes differ in at most one corner look alike
    (王 1010 / 玉 1010, 宇 3040 / 字 3040, 华 2440 / 毕 2240)."""
    code = _four_corner().query(char) or ""
    return int(code[:4]) + 10_000 if len(code) >= 4 and code[:4].isdigit() else 0


def shapes_alike(a: int, b: int) -> bool:
    """Two :func:`shape_code` values that differ in at most one of the four corners."""
    if not a or not b:
        return False
    return sum((a // 10**k) % 10 != (b // 10**k) % 10 for k in range(4)) <= 1
