"""The in-portal inbox: marking messages read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..models import InboxMessage
from .steps import _now


def inbox_mark_read(
    *, actor: Any, messages: Iterable[InboxMessage], now: dt.datetime | None = None
) -> int:
    """Mark the given messages (read through ``selectors.inbox_for``) read."""
    ids = [m.pk for m in messages]
    return InboxMessage.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=_now(now))
