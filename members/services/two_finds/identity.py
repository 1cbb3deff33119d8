"""Is a difference between two ID numbers a clerk's slip? Asked of a few pairs only.

The engine never sees ID numbers. For the candidate pairs whose two numbers differ and whose
other evidence could still make them a match, the job reads both numbers (decrypted in this
process only, never written, logged or passed on) and compares their digits
(:func:`members.matching.clerk_patterns`); everything else about the two numbers stays
behind their blind indexes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ... import matching
from ...models import PartyMember, Worker

_BATCH = 5_000


def _numbers(model, pks: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for start in range(0, len(pks), _BATCH):
        out.update(
            model.objects.filter(pk__in=pks[start : start + _BATCH]).values_list("pk", "id_number")
        )
    return out


def id_typo_for(
    workers: matching.People, members: matching.People
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The engine's ``id_typo`` question for these two sides (rows → database ids)."""

    def ask(wi: np.ndarray, mi: np.ndarray) -> np.ndarray:
        w_pk, m_pk = workers.pk[wi].tolist(), members.pk[mi].tolist()
        w_ids = _numbers(Worker, sorted(set(w_pk)))
        m_ids = _numbers(PartyMember, sorted(set(m_pk)))
        a = [w_ids.get(pk, "") for pk in w_pk]
        b = [m_ids.get(pk, "") for pk in m_pk]
        known = np.array([len(x) == 18 and len(y) == 18 for x, y in zip(a, b, strict=True)])
        out = np.zeros(len(a), dtype=bool)
        rows = np.flatnonzero(known)
        if len(rows):
            out[rows] = matching.clerk_patterns([a[i] for i in rows], [b[i] for i in rows])
        return out

    return ask
