"""What every training write shares: the one answer for an unknown worker, the check-in window,
the scope and city-wide checks, and the small helpers for fields and many-to-many data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import scoping

#: One answer for a worker that does not exist and one outside the caller's scope, so that
#: the answer does not disclose who exists.
UNKNOWN_WORKER = gettext_lazy("Unknown worker, or outside your scope.")

#: A check-in is accepted from an hour before a session starts ...
CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=1)
#: ... until two hours after it ends from apps, and for a week in the portal (sign-in sheets).
CHECK_IN_CLOSES_AFTER = dt.timedelta(hours=2)
PORTAL_CLOSES_AFTER = dt.timedelta(days=7)


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def _require_city_wide(actor: Any) -> None:
    scoping.require_city_wide(actor, _("Only city-wide staff may change the training catalogue."))


def _user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def _split(data: dict[str, Any], names: tuple[str, ...]) -> tuple[dict, dict]:
    data = dict(data)
    return data, {k: data.pop(k) for k in names if k in data}
