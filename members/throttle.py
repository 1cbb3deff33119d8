"""The rate limit of the public self-report form (``core.throttle``'s fixed window)."""

from __future__ import annotations

from django.conf import settings

from core import throttle

DOOR = "members-report"


def report_key(address: str) -> str:
    return throttle.rate_key(DOOR, address)


def report_limits() -> tuple[int, int]:
    """(submissions allowed, window in seconds) for the public self-report form."""
    return (
        int(getattr(settings, "MEMBER_CLAIM_RATE_LIMIT", 5)),
        int(getattr(settings, "MEMBER_CLAIM_RATE_WINDOW", 600)),
    )


def allow_report(request) -> bool:
    """Count one submission from this client; ``False`` once the window's allowance is used."""
    limit, window = report_limits()
    return throttle.allow(request, door=DOOR, limit=limit, window=window)
