"""A roster as columns (:class:`Side`), a province's pair of rosters with the truth, and
the column operations the generator uses."""

from __future__ import annotations

import dataclasses

import numpy as np

from core.identity import ric_check_char


@dataclasses.dataclass
class Side:
    """One roster as columns; plaintext ``id_body``/``phone`` only to derive keys and, for the
    DB-backed run, the values written through the protected fields."""

    name: list[str]
    id_body: np.ndarray  # int64 of the first 17 digits, 0 = no id
    birth: np.ndarray  # ordinal, 0 = unknown (derived from the id)
    gender: np.ndarray  # 0/1/2
    phone: np.ndarray  # int64, 0 = no phone
    district: np.ndarray  # six-digit code
    industry: np.ndarray  # 1..5, 0 = unknown

    def __len__(self) -> int:
        return len(self.name)

    def id_numbers(self) -> list[str]:
        out = []
        for body in self.id_body.tolist():
            if body:
                text = f"{body:017d}"
                out.append(text + ric_check_char(text))
            else:
                out.append("")
        return out

    def phones(self) -> list[str]:
        return [f"{p:011d}" if p else "" for p in self.phone.tolist()]


@dataclasses.dataclass
class Province:
    workers: Side
    members: Side
    truth: np.ndarray  # (n, 2) worker row, member row
    corruption_counts: dict[str, int]


def _rederive(side: Side) -> None:
    """Birth date and gender exist only where there is an id (they are derived from it)."""
    none = side.id_body == 0
    side.birth[none] = 0
    side.gender[none] = 0


def _dedupe_ids(side: Side, rng, taken: np.ndarray | None = None) -> None:
    """Give an id that another person already holds (in ``side`` or ``taken``) another
    sequence number of the same parity (so the same gender): real numbers are unique."""
    taken = np.zeros(0, dtype=np.int64) if taken is None else taken
    for _ in range(10):
        _, first = np.unique(side.id_body, return_index=True)
        clash = np.ones(len(side), dtype=bool)
        clash[first] = False
        clash |= np.isin(side.id_body, taken)
        clash &= side.id_body != 0
        dup = np.flatnonzero(clash)
        if not len(dup):
            return
        seq = side.id_body[dup] % 1000
        new = (seq + 2 * rng.integers(1, 400, len(dup))) % 1000
        side.id_body[dup] += new - seq


def _concat(a: Side, b: Side) -> Side:
    return Side(
        a.name + b.name,
        *(np.concatenate([getattr(a, f), getattr(b, f)]) for f in
          ("id_body", "birth", "gender", "phone", "district", "industry")),
    )  # fmt: skip


def _take(side: Side, order: np.ndarray) -> Side:
    names = side.name
    return Side(
        [names[i] for i in order.tolist()],
        *(getattr(side, f)[order] for f in
          ("id_body", "birth", "gender", "phone", "district", "industry")),
    )  # fmt: skip
