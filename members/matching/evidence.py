"""What a proposal says about itself: per-field evidence, the probability, how uncertain it is
and why (reason codes the review queue shows in words)."""

from __future__ import annotations

from collections.abc import Sequence
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
    return evidence_many(
        scored,
        np.array([i], dtype=np.int64),
        model=model,
        names=names,
        workers=workers,
        members=members,
        accept=accept,
        rank=[rank],
        rivals=[rivals],
    )[0]


def evidence_many(
    scored: Any,
    rows: np.ndarray,
    *,
    model: fs.Model,
    names: NameTable,
    workers: People,
    members: People,
    accept: float,
    rank: Sequence[int] | None = None,
    rivals: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """:func:`evidence` of the pairs ``rows``, computed together: the names are rebuilt and
    the probabilities taken for all of them at once, each field's weights looked up once."""
    rows = np.asarray(rows, dtype=np.int64)
    n = len(rows)
    rank = [1] * n if rank is None else rank
    rivals = [0] * n if rivals is None else rivals
    weight: dict[tuple[str, int], float] = {}
    level_columns = {name: scored.levels[name][rows].tolist() for name in fs.FIELDS}
    worker_names = names.texts(workers.name_key[scored.worker[rows]])[0]
    member_names = names.texts(members.name_key[scored.member[rows]])[0]
    char_ratio = scored.char_ratio[rows].tolist()
    pinyin_ratio = scored.pinyin_ratio[rows].tolist()
    values = scored.score[rows].astype(np.float64)
    probabilities = model.posterior(values).tolist()
    block_bits = scored.blocks[rows].tolist()
    out = []
    for j, value in enumerate(values.tolist()):
        levels = {name: int(level_columns[name][j]) for name in fs.FIELDS}
        fields: dict[str, Any] = {}
        for name in fs.FIELDS:
            labels = _LABELS.get(name, LEVEL_LABELS)
            key = (name, levels[name])
            if key not in weight:
                weight[key] = round(model.weight(name, levels[name]), 2)
            fields[name] = {"level": labels[levels[name]], "weight": weight[key]}
        fields["name"].update(
            worker=worker_names[j],
            member=member_names[j],
            char_ratio=round(float(char_ratio[j]), 1),
            pinyin_ratio=round(float(pinyin_ratio[j]), 1),
        )
        probability = float(probabilities[j])
        bits = int(block_bits[j])
        out.append(
            {
                "fields": fields,
                "score": round(value, 2),
                "probability": round(probability, 6),
                "uncertainty": round(uncertainty(probability), 4),
                "blocks": [b for b in BLOCKS if bits & BLOCK_BIT[b]],
                "reasons": reasons(levels, score=value, accept=accept, rivals=int(rivals[j])),
                "rank": int(rank[j]),
                "rivals": int(rivals[j]),
                "model": model.source,
            }
        )
    return out


_LABELS = {"name": NAME_LABELS, "id_number": ID_LABELS}


def uncertainty(probability: float) -> float:
    """How much a reviewer's decision would change what we know: the binary entropy (bits) of
    the match probability, 1 at 50%, 0 at certainty."""
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return float(-(p * np.log2(p) + (1 - p) * np.log2(1 - p)))
