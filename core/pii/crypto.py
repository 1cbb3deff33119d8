"""Encryption (Fernet, under the key ring) and blind indexes (keyed HMAC-SHA256 of the
normalized value), one value or many at once (bulk intake)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from .keys import _keys
from .values import _check_kind, normalize


def encrypt(value: str) -> str:
    """A Fernet token for ``value`` (different on every call); ``""`` stays ``""``."""
    if not value:
        return ""
    return _keys().fernet.encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of a token from :func:`encrypt` under any configured key; raises
    ``cryptography.fernet.InvalidToken`` for a token made under no configured key or altered."""
    if not token:
        return ""
    return _keys().fernet.decrypt(token.encode("ascii")).decode()


def blind_index(value: str, *, kind: str) -> str:
    """Hex HMAC-SHA256 of ``f"{kind}:{normalized}"`` under the index key; ``""`` for an empty
    value. Equal values of one kind give equal indexes, whatever their spelling."""
    normalized = normalize(value, kind)
    if not normalized:
        return ""
    message = f"{kind}:{normalized}".encode()
    return hmac.new(_keys().index_key, message, hashlib.sha256).hexdigest()


def blind_indexes_any_key(value: str, *, kind: str) -> list[str]:
    """The blind index of ``value`` under every configured key (the first key's first): what a
    lookup matches while records written under an older key wait for re-indexing."""
    normalized = normalize(value, kind)
    if not normalized:
        return [""]
    message = f"{kind}:{normalized}".encode()
    out: list[str] = []
    for key in _keys().index_keys:
        digest = hmac.new(key, message, hashlib.sha256).hexdigest()
        if digest not in out:
            out.append(digest)
    return out


def blind_indexes_of_normalized(values: Iterable[str], *, kind: str) -> list[str]:
    """:func:`blind_index` of many values that are already normalized (a bulk intake has just
    checked and normalized them): the same hex HMACs, without normalizing each value again.
    Empty values give ``""``."""
    _check_kind(kind)
    key = _keys().index_key
    prefix = f"{kind}:".encode()
    digest = hmac.digest  # OpenSSL's one-shot HMAC: no HMAC object per value
    return [digest(key, prefix + v.encode(), "sha256").hex() if v else "" for v in values]


def encrypt_many(values: Iterable[str]) -> list[str]:
    """:func:`encrypt` of many values (``""`` stays ``""``)."""
    fernet = _keys().fernet
    return [fernet.encrypt(v.encode()).decode("ascii") if v else "" for v in values]
