"""DRF throttling of the REST API: per partner key and per staff session.

* :class:`PartnerKeyThrottle` (scope ``partner``): requests authenticated with a partner API
  key, counted per key (``request.auth`` is the key record), so one platform's push loop cannot
  starve the others;
* :class:`StaffSessionThrottle` (scope ``staff``): browser-session requests, counted per user;
* :class:`AnonymousThrottle` (scope ``anon``): unauthenticated requests (the schema, refused
  keys), counted per client address (``core.net.client_address``, which honours
  ``TRUSTED_PROXY_COUNT``).

The rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (``API_THROTTLE_PARTNER``,
``API_THROTTLE_STAFF``, ``API_THROTTLE_ANON`` in the environment). A throttled request answers
429 in the one error format with ``Retry-After``. Like every rate limit here the throttles fail
open: when the cache cannot count (Redis down) the request is let through and a warning logged.
"""

from __future__ import annotations

import logging

from rest_framework.throttling import SimpleRateThrottle

from core.models import APIKey
from core.net import client_address

logger = logging.getLogger("core.throttle")


class _FailOpen(SimpleRateThrottle):
    def get_ident(self, request) -> str:
        return client_address(request)

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # any cache backend's outage
            logger.warning("API throttle %s not counted (cache unavailable): %r", self.scope, exc)
            return True


class PartnerKeyThrottle(_FailOpen):
    scope = "partner"

    def get_cache_key(self, request, view):
        if not isinstance(getattr(request, "auth", None), APIKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class StaffSessionThrottle(_FailOpen):
    scope = "staff"

    def get_cache_key(self, request, view):
        if isinstance(getattr(request, "auth", None), APIKey):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class AnonymousThrottle(_FailOpen):
    scope = "anon"

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def partner_key_allowed(request, *, user, key: APIKey) -> bool:
    """The partner-key throttle for a door outside DRF (Open311): the same bucket as the
    key's REST API requests."""
    from types import SimpleNamespace

    shim = SimpleNamespace(auth=key, user=user, META=getattr(request, "META", {}))
    return PartnerKeyThrottle().allow_request(shim, None)
