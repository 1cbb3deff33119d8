"""The rates and tables the generator draws from: corruption rates, look-alike and
homophone characters, phone prefixes, districts."""

from __future__ import annotations

import datetime as dt

import numpy as np

from members.names import char_pinyin

#: Chance of each corruption of a hidden member's worker record (independent draws).
CORRUPTION = {
    "id_missing": 0.05,
    "id_mistyped": 0.03,
    "name_traditional": 0.04,
    "name_homophone": 0.07,
    "name_nearsound": 0.02,
    "name_lookalike": 0.03,
    "phone_new": 0.12,
    "phone_missing": 0.02,
    "district_moved": 0.15,
}
NON_MEMBER = {"id_missing": 0.04, "phone_missing": 0.01, "relative_phone": 0.002}
NAMESAKES_PER_LINK = 0.2
HIDDEN_SHARE = 0.01  # of workers
DUPLICATE_SHARE = 0.05  # of hidden members, on a second roster

#: Common given-name characters besides Faker's (which has only ~100).
EXTRA_GIVEN_CHARS = (
    "子梓涵轩然怡思雨嘉梦琪晓诗语睿泽辰天奕航昊乐可心悦安一若依诺沐宸铭豪宏振德正"
    "家庆福贵长春永红卫东方圆青松柏梁栋翔鸿志远晖光耀烨炜煜琦琛瑶璇菲蕾薇蓉萱芸"
    "娇媛婉妍姝嫣岚露霖雯雅静婧妮晴朗舒彤蕊蓓月星辰海波涛洪浩淼清源江河山峻岭"
)

#: Look-alike characters with a different reading (形近字), both ways.
LOOKALIKE_PAIRS = [
    "王玉",
    "明朋",
    "军车",
    "宇字",
    "永水",
    "华毕",
    "秀季",
    "英央",
    "丹舟",
    "宁丁",
    "龙尤",
    "林材",
    "凯岂",
    "帅师",
    "超起",
    "波坡",
    "士土",
    "天夫",
    "大太",
    "己已",
    "未末",
    "白百",
    "千干",
    "午牛",
    "人入",
    "晴睛",
    "日曰",
    "今令",
    "侯候",
    "贝见",
    "鸟乌",
]
LOOKALIKE = {a: b for a, b in LOOKALIKE_PAIRS} | {b: a for a, b in LOOKALIKE_PAIRS}

PHONE_PREFIXES = np.array(
    [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 157, 158, 159, 166,
     173, 176, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199],
    dtype=np.int64,
)  # fmt: skip
OTHER_PROVINCES = (
    "340", "341", "410", "411", "370", "371", "510", "511", "420", "430", "360", "330", "130"
)  # fmt: skip
N_INDUSTRIES = 5
TODAY = dt.date(2026, 12, 1)


def _gb2312_level1() -> list[str]:
    return [
        bytes([a, b]).decode("gb2312")
        for a in range(0xB0, 0xD8)
        for b in range(0xA1, 0xFF)
        if not (a == 0xD7 and b > 0xF9)
    ]


def _homophones() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for char in _gb2312_level1():
        groups.setdefault(char_pinyin(char), []).append(char)
    return {c: [o for o in groups[char_pinyin(c)] if o != c] for g in groups.values() for c in g}


def districts() -> list[int]:
    """13 cities × 8 districts, six-digit codes 32CC0D."""
    return [int(f"32{c:02d}{d:02d}") for c in range(1, 14) for d in range(1, 9)]
