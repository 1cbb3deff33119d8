"""Reads of the ecosystem app across its three features (the dashboard's cards)."""

from __future__ import annotations

from typing import Any

from .jobfairs import selectors as jobfairs
from .massorgs import selectors as massorgs
from .whistles import selectors as whistles


def dashboard_figures(user: Any) -> list[dict[str, Any]]:
    """The cards of the three features, in scope: job fairs, whistles, mass organizations."""
    return [
        *jobfairs.dashboard_figures(user),
        *whistles.dashboard_figures(user),
        *massorgs.dashboard_figures(user),
    ]
