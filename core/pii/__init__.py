"""Protected personal data: encryption, blind indexes, masking, reveal and the access log.

Resident id numbers and phone numbers never reach the database, the audit log or a page in
clear (DESIGN.md §5):

* the value is stored as a Fernet token (:class:`ProtectedField`); Fernet tokens are random
  (fresh IV and timestamp each time), so equal values give different tokens;
* a keyed HMAC-SHA256 "blind index" of the normalized value sits in a sibling column and is
  the only way to find or de-duplicate a value (:func:`protected_lookup`,
  :func:`unique_protected`);
* pages show the masked value (:func:`display`); the plaintext comes only from :func:`reveal`,
  which needs the ``core.reveal_pii`` permission and a reason, and writes a
  :class:`~core.models.PIIAccessLog` row. Exports call :func:`record_export`.

Both keys are derived from the configured key with HKDF-SHA256 under different ``info``
labels, so the encryption key and the index key are independent and neither is the configured
key itself.

Keys rotate: ``settings.PORTAL_PII_KEYS`` is a list (empty: ``[PORTAL_PII_KEY]``); the first
key encrypts and indexes, every key in the list decrypts (``MultiFernet``), and
:func:`protected_lookup` matches the index under any of them, so records written under an
older key are read and found until ``manage.py rotate_pii_keys`` has re-encrypted and
re-indexed them under the first key (in batches, resumable). Then the old key can be dropped.

A model declares a protected value with its index next to it (the index after the value)::

    class Worker(ProtectedModelMixin, models.Model):
        id_number = ProtectedField(_("ID number"), kind="resident_id",
                                   index_field="id_number_index", blank=True)
        id_number_index = blind_index_field()

        class Meta:
            constraints = [unique_protected("id_number_index", name="worker_id_number_unique")]

Saving (and ``full_clean``) fills ``id_number_index``. Bulk paths that skip ``pre_save`` do not:
before ``bulk_update()`` call :func:`set_indexes`; ``QuerySet.update()`` must not be used to
change a protected value.

The package: ``keys`` the key ring, ``values`` the two kinds (normalizing, masking), ``crypto``
encryption and blind indexes, ``fields`` the model field and lookups, ``access`` display,
reveal and the export log. Everything is imported from ``core.pii``; migrations name
``core.pii.ProtectedField``.
"""

from __future__ import annotations

from .access import display, record_export, reveal
from .crypto import (
    blind_index,
    blind_indexes_any_key,
    blind_indexes_of_normalized,
    decrypt,
    encrypt,
    encrypt_many,
)
from .fields import (
    ProtectedField,
    ProtectedModelMixin,
    blind_index_field,
    protected_fields,
    protected_lookup,
    set_indexes,
    unique_protected,
)
from .keys import _derive_keys, configured_keys, key_fingerprint, reset_key_cache
from .values import (
    FERNET_TOKEN_PREFIX,
    KINDS,
    PHONE,
    RESIDENT_ID,
    REVEAL_PERMISSION,
    mask,
    mask_phone,
    mask_resident_id,
    masker,
    normalize,
    normalize_phone,
    normalize_resident_id,
)

__all__ = [
    "FERNET_TOKEN_PREFIX",
    "KINDS",
    "PHONE",
    "RESIDENT_ID",
    "REVEAL_PERMISSION",
    "ProtectedField",
    "ProtectedModelMixin",
    "_derive_keys",
    "blind_index",
    "blind_index_field",
    "blind_indexes_any_key",
    "blind_indexes_of_normalized",
    "configured_keys",
    "decrypt",
    "display",
    "encrypt",
    "encrypt_many",
    "key_fingerprint",
    "mask",
    "mask_phone",
    "mask_resident_id",
    "masker",
    "normalize",
    "normalize_phone",
    "normalize_resident_id",
    "protected_fields",
    "protected_lookup",
    "record_export",
    "reset_key_cache",
    "reveal",
    "set_indexes",
    "unique_protected",
]
