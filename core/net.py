"""The client's address, the one way every rate limit, lock-out and log finds it.

``REMOTE_ADDR`` is the peer of this process: behind a reverse proxy it is the proxy, and the
whole city would share one rate-limit bucket. An ``X-Forwarded-For`` header is written by the
client, though, and can be trusted only as far as our own proxies wrote it: each proxy appends
the address it received the request from. With ``TRUSTED_PROXY_COUNT = n`` (the number of
reverse proxies in front of the portal, 0 by default) the client is the n-th address from the
right; with 0, or a header shorter than that (a request that did not come through all the
proxies), ``REMOTE_ADDR`` is taken and the header ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_address(request) -> str:
    """The client's IP address (``"unknown"`` when there is none)."""
    meta = getattr(request, "META", {})
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted > 0:
        hops = [h.strip() for h in meta.get(FORWARDED_HEADER, "").split(",") if h.strip()]
        if len(hops) >= trusted:
            address = _valid(hops[-trusted])
            if address:
                return address
    return _valid(meta.get("REMOTE_ADDR", "")) or "unknown"


def axes_client_address(request) -> str | None:
    """django-axes' ``AXES_CLIENT_IP_CALLABLE``: the same address as everywhere else, ``None``
    when there is none (its access log stores addresses in an ``inet`` column)."""
    address = client_address(request)
    return None if address == "unknown" else address
