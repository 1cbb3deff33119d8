"""A fixed-window rate limit per client address for the public forms, kept in the Django cache
(Redis when configured, so all web processes share the counts)."""

from __future__ import annotations

import logging

from django.core.cache import cache

from .net import client_address

__all__ = ["allow", "client_address", "rate_key"]

logger = logging.getLogger("core.throttle")


def rate_key(door: str, address: str) -> str:
    """The cache key counting ``door``'s attempts from ``address`` (each door counts apart)."""
    return f"rate:{door}:{address}"


def allow(request, *, door: str, limit: int, window: int) -> bool:
    """Count one attempt at ``door`` from this client; ``False`` once ``limit`` attempts were
    made in the current window of ``window`` seconds. Fails open: when the cache cannot count
    (Redis down), the attempt is let in and a warning logged — a public form that answers 500
    helps nobody, and the limit is a brake, not a lock."""
    key = rate_key(door, client_address(request))
    try:
        return _count(key, window) <= limit
    except Exception as exc:  # any cache backend's outage
        logger.warning("rate limit of %s not counted (cache unavailable): %r", door, exc)
        return True


def _count(key: str, window: int) -> int:
    # add() starts the window only if none is running; incr() is atomic on Redis.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count
