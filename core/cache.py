"""A Redis cache that fails open: when Redis cannot be reached, reads miss and writes are
skipped with a logged warning, so pages that cache (the dashboard) or count (the public doors'
rate limit) keep serving from the database.

Django's own ``RedisCache`` raises ``redis.ConnectionError`` from every call, which answered 500
on the dashboard and both public forms while Redis was down. After a failure the backend does not
try Redis again for ``RETRY_AFTER`` seconds (``OPTIONS["retry_after"]``, default 5), so a page
does not wait for a connect timeout on each of its cache calls. Settings::

    CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("core.cache")

RETRY_AFTER = 5.0


def _errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        self._retry_after = float(params["OPTIONS"].pop("retry_after", RETRY_AFTER))
        params["OPTIONS"].setdefault("socket_connect_timeout", 0.5)
        params["OPTIONS"].setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._error_types = _errors()

    @property
    def available(self) -> bool:
        """False while the backend skips Redis after a failure."""
        return time.monotonic() >= self._down_until

    def _call(self, name: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.available:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except self._error_types as exc:
            with self._lock:
                first = self.available
                self._down_until = time.monotonic() + self._retry_after
            if first:
                logger.warning(
                    "cache unreachable (%s): serving without it for %.0f s: %r",
                    name,
                    self._retry_after,
                    exc,
                )
            return default

    def add(self, key, value, timeout=..., version=None):
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._call("add", False, key, value, version=version, **kwargs)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def set(self, key, value, timeout=..., version=None):
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._call("set", None, key, value, version=version, **kwargs)

    def touch(self, key, timeout=..., version=None):
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._call("touch", False, key, version=version, **kwargs)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        # Unreachable: as if the key were new, so a counter (the rate limit) lets the request in.
        return self._call("incr", delta, key, delta, version=version)

    def set_many(self, data, timeout=..., version=None):
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._call("set_many", list(data), data, version=version, **kwargs)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)


def redis_cache(url: str, *, prefix: str = "portal", socket_timeout: float = 0.5) -> dict:
    """The ``CACHES["default"]`` entry for Redis at ``url`` (settings and tests share it)."""
    return {
        "BACKEND": "core.cache.FailOpenRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": socket_timeout, "socket_timeout": socket_timeout},
    }
