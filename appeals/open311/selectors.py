"""Reads of the Open311 face: the services, and the requests a partner key may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from organizations import scoping

from ..models import Appeal, Category


def services_list() -> QuerySet[Category]:
    """Active categories: the Open311 service list (reference data, no scope)."""
    return Category.objects.filter(active=True).order_by("sort_order", "code")


def requests_for(user: Any) -> QuerySet[Appeal]:
    """The requests the key's partner submitted itself, and only those (even a key of a
    wider user reads only its own submissions through this door). Related rows the document
    needs are joined: the list costs one query whatever its length."""
    return (
        scoping.visible(Appeal, user)
        .filter(submitted_by=user)
        .select_related("category", "assigned_organization")
        .order_by("-received_at", "-id")
    )
