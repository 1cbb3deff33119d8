"""The 6+X verdict, derived from a station's facilities (DB3204/T 1034—2022)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .choices import Principle


@dataclass(frozen=True)
class Verdict:
    compliant: bool
    #: Required facilities (codes) the station lacks.
    missing_facilities: tuple[str, ...]
    #: Principles (暖/凉/歇/药) no facility of the station satisfies.
    missing_principles: tuple[str, ...]


def verdict(present: Iterable, catalogue: Iterable) -> Verdict:
    """``present``: the station's :class:`~stations.models.Facility` objects; ``catalogue``:
    every facility. Compliant = the six required all present and each of the four principles
    satisfied by at least one present facility."""
    present = list(present)
    codes = {f.code for f in present}
    missing = tuple(f.code for f in catalogue if f.required and f.code not in codes)
    unmet = tuple(p for p in Principle.values if not any(getattr(f, p) for f in present))
    return Verdict(not missing and not unmet, missing, unmet)
