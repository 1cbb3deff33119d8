"""Name keys for matching: pinyin without tones, so that homophones (张/章) meet.

Characters are converted one by one through a cache: a province roster has millions of names
but only a few thousand distinct characters, and both sides of a match use the same function.
"""

from __future__ import annotations

import functools

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
    """Without spaces and the middle dot of transcribed names (阿卜杜·热合曼)."""
    return "".join(c for c in (name or "").strip() if c not in " \u3000·•.")


def name_pinyin(name: str) -> str:
    """The toneless pinyin of a whole name, syllables separated by spaces."""
    return " ".join(p for p in map(char_pinyin, normalize_name(name)) if p)


def surname(name: str) -> str:
    text = normalize_name(name)
    return text[:2] if text[:2] in COMPOUND_SURNAMES else text[:1]


def surname_pinyin(name: str) -> str:
    return "".join(map(char_pinyin, surname(name)))
