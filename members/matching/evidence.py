"""What a proposal says about itself: per-field evidence, the probability, how uncertain it is
and why (reason codes the review queue shows in words)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import model as fs
from .blocking import BLOCK_BIT, BLOCKS
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
)
from .names import NameTable

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
    scored: Any,
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
