"""Blind-index stand-ins for the in-memory engine run: hex strings in place of the
database's HMAC indexes."""

from __future__ import annotations

import numpy as np


def _splitmix64(x: np.ndarray, salt: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(salt)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


_HEX = np.array(list(b"0123456789abcdef"), dtype=np.uint8)


def hex_index(values: np.ndarray, salt: int) -> list[str]:
    """Hex strings standing in for the HMAC blind indexes the database holds: a keyed 64-bit
    hash of the value (16 hex characters; the engine reads only the first 16 anyway), ``""``
    for no value."""
    hashed = _splitmix64(values, salt)
    as_bytes = hashed.astype(">u8").view(np.uint8).reshape(-1, 8)
    chars = np.empty((len(values), 16), dtype=np.uint8)
    chars[:, 0::2] = _HEX[as_bytes >> 4]
    chars[:, 1::2] = _HEX[as_bytes & 15]
    text = chars.view("S16").ravel().astype("U16").tolist()
    for i in np.flatnonzero(values == 0).tolist():
        text[i] = ""
    return text
