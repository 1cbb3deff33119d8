"""The keys: both derived from each configured key with HKDF-SHA256 (one encrypts, one
indexes); the first of ``PORTAL_PII_KEYS`` encrypts and indexes, every one decrypts."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import (
    ImproperlyConfigured,
)

_HKDF_SALT = b"newemployment-portal/pii"
_FERNET_INFO = b"pii:fernet-encryption:v1"
_INDEX_INFO = b"pii:hmac-sha256-blind-index:v1"


@dataclass(frozen=True)
class _Keys:
    fernet_key: bytes  # url-safe base64 of 32 bytes, as Fernet wants it
    index_key: bytes
    fernet: Fernet


@dataclass(frozen=True)
class _KeyRing:
    """The keys of ``PORTAL_PII_KEYS``: the first encrypts and indexes, all decrypt."""

    primary: _Keys
    all: tuple[_Keys, ...]
    fernet: MultiFernet

    @property
    def index_key(self) -> bytes:
        return self.primary.index_key

    @property
    def index_keys(self) -> tuple[bytes, ...]:
        return tuple(k.index_key for k in self.all)


def _hkdf(material: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=info).derive(material)


@functools.lru_cache(maxsize=8)
def _derive_keys(raw_key: str) -> _Keys:
    """Both keys for one configured key; cached per key string, so a changed setting (as in
    tests) takes effect at once. :func:`reset_key_cache` empties the cache."""
    if not raw_key:
        raise ImproperlyConfigured("PORTAL_PII_KEY is not set.")
    material = raw_key.encode()
    fernet_key = base64.urlsafe_b64encode(_hkdf(material, _FERNET_INFO))
    return _Keys(fernet_key, _hkdf(material, _INDEX_INFO), Fernet(fernet_key))


@functools.lru_cache(maxsize=8)
def _key_ring(raw_keys: tuple[str, ...]) -> _KeyRing:
    if not raw_keys:
        raise ImproperlyConfigured("PORTAL_PII_KEY is not set.")
    derived = tuple(_derive_keys(k) for k in raw_keys)
    return _KeyRing(derived[0], derived, MultiFernet([k.fernet for k in derived]))


def configured_keys() -> tuple[str, ...]:
    """``PORTAL_PII_KEYS`` (first encrypts), else ``(PORTAL_PII_KEY,)``."""
    keys = tuple(k for k in (getattr(settings, "PORTAL_PII_KEYS", None) or ()) if k)
    return keys or (settings.PORTAL_PII_KEY,)


def _keys() -> _KeyRing:
    return _key_ring(configured_keys())


def key_fingerprint() -> str:
    """A short public name of the encrypting key (an HMAC of a constant, not the key)."""
    return hmac.new(_keys().index_key, b"pii:key-fingerprint", hashlib.sha256).hexdigest()[:16]


def reset_key_cache() -> None:
    _derive_keys.cache_clear()
    _key_ring.cache_clear()
