"""Who a request is, cached per process: the user behind an API key or a session, with their
permissions and scope grants resolved once, not queried on every request.

Safety rules:

* an entry is keyed by the API key's SHA-512 (never the key itself) or by the user id;
* every entry carries the **authorization generation** it was built under. The generation lives
  in the shared cache (Redis in production) and :func:`bump` moves it on every change that can
  narrow access: a key saved, revoked (also through ``QuerySet.update``) or deleted; a user saved
  (password, ``is_active``, ``is_superuser``), their groups or permissions changed; a group's
  permissions; a scope grant; a move in the organization or region tree. A request compares its
  entry's generation with the shared one, so a revocation takes effect at once in every process;
* entries also expire after ``AUTH_CACHE_SECONDS`` (default 15), which bounds staleness when the
  shared cache is local to the process (no ``REDIS_URL``) or was unreachable when a change
  happened; when it is unreachable now, nothing is served from the cache;
* a request gets a shallow copy of the cached user, so what it sets on ``request.user`` stays
  with that request.

The caches fill through warmers (:func:`register_warmer`): functions that compute and keep on
the user object what later checks read (``organizations.scoping.grants_for`` registers one), so
that ``core`` needs to know no app.
"""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "core:authz-generation"
MAX_ENTRIES = 2048

_warmers: list[Callable[[Any], Any]] = []


def register_warmer(warmer: Callable[[Any], Any]) -> None:
    """Run ``warmer(user)`` on each user before caching it (once per callable)."""
    if warmer not in _warmers:
        _warmers.append(warmer)


def _seconds() -> float:
    return float(getattr(settings, "AUTH_CACHE_SECONDS", 15))


class _Store:
    """A small thread-safe LRU of ``key -> (generation, expires_at, value)``."""

    def __init__(self, size: int = MAX_ENTRIES):
        self.size = size
        self.entries: OrderedDict[Any, tuple[int, float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, generation: int):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] != generation or entry[1] < time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry[2]

    def put(self, key, generation: int, value) -> None:
        with self.lock:
            self.entries[key] = (generation, time.monotonic() + _seconds(), value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_store = _Store()


def _fresh_generation() -> int:
    # Time-based, so a counter lost from the shared cache never comes back to an old value.
    return time.time_ns()


def generation() -> int | None:
    """The shared generation; ``None`` when the shared cache cannot say (then nothing is
    served from the per-process cache)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value if isinstance(value, int) else None


def _advance() -> None:
    _store.clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (first use, evicted): any new value invalidates
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def bump(**signal_kwargs: Any) -> None:
    """Invalidate every cached principal: in this process at once, and in every process when
    the change commits (a process that read the new generation before the commit could cache
    the old rows under it). Usable as a signal receiver."""
    if signal_kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: wait for the change itself
    _store.clear()
    transaction.on_commit(_advance, using=signal_kwargs.get("using"))


def warm(user) -> None:
    """Compute and keep on ``user`` what the request's checks read: its permissions (Django's
    backends cache them on the object) and whatever the warmers add."""
    if user is None or not user.is_active:
        return
    user.get_all_permissions()
    for warmer in _warmers:
        warmer(user)


def cached(key, load: Callable[[], Any], *, cacheable: Callable[[Any], bool] = bool):
    """``load()`` once per ``key`` and generation, within the time limit. ``load`` returns a
    user, or a tuple whose first item is the user; the caller gets copies of the user."""
    current = generation()
    value = _store.get(key, current) if current is not None else None
    if value is None:
        value = load()
        if current is None or not cacheable(value):
            return value
        warm(value[0] if isinstance(value, tuple) else value)
        _store.put(key, current, value)
    if isinstance(value, tuple):
        return (copy.copy(value[0]), *value[1:])
    return copy.copy(value)


def clear_local() -> None:
    """Empty this process's cache (tests)."""
    _store.clear()


def connect_signals() -> None:
    """Bump on every change to keys, users, groups and permissions (``CoreConfig.ready``);
    apps add their own models (``organizations`` its grants and trees)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from core.models import APIKey

    user_model = get_user_model()
    for model in (APIKey, user_model, Group):
        post_save.connect(_bump_on_save, sender=model, dispatch_uid=f"authcache.save.{model}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"authcache.delete.{model}")
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"authcache.m2m.{through}")


def _bump_on_save(sender, created=False, update_fields=None, **kwargs) -> None:
    # A new key, user or group is in no cached entry yet; a login only stamps ``last_login``.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    bump(**kwargs)
