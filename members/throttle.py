"""A fixed-window rate limit per client address, kept in the Django cache (Redis when
configured, so all web processes share the counts)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

_PREFIX = "members:report-rate:"


def client_address(request) -> str:
    """The client's address. ``REMOTE_ADDR`` only: a forwarded-for header is set by the client
    and cannot be trusted unless the proxy in front overwrites ``REMOTE_ADDR`` itself."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def report_key(address: str) -> str:
    return f"{_PREFIX}{address}"


def report_limits() -> tuple[int, int]:
    """(submissions allowed, window in seconds) for the public self-report form."""
    return (
        int(getattr(settings, "MEMBER_CLAIM_RATE_LIMIT", 5)),
        int(getattr(settings, "MEMBER_CLAIM_RATE_WINDOW", 600)),
    )


def allow_report(request) -> bool:
    """Count one submission from this client; ``False`` once the window's allowance is used."""
    limit, window = report_limits()
    key = report_key(client_address(request))
    # add() starts the window only if none is running; incr() is atomic on Redis.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit
