"""What every station write shares: the scope check."""

from __future__ import annotations

from typing import Any

from organizations import scoping


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)
