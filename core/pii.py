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
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import PIIAction
from .context import current_request_id
from .identity import check_resident_id
from .models import PIIAccessLog

RESIDENT_ID = "resident_id"
PHONE = "phone"
KINDS = (RESIDENT_ID, PHONE)
REVEAL_PERMISSION = "core.reveal_pii"
#: Every Fernet token (version byte 0x80, then the timestamp) starts so in url-safe base64; no
#: resident id or phone number does.
FERNET_TOKEN_PREFIX = "gAAAAA"

# --- keys ----------------------------------------------------------------------------------

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


# --- encryption and blind indexes ----------------------------------------------------------


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


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of protected value {kind!r}; known: {', '.join(KINDS)}.")


def normalize_resident_id(value: str) -> str:
    """Upper-case and stripped; a valid 15-digit legacy number becomes its 18-digit form."""
    text = (value or "").strip().upper()
    try:
        return check_resident_id(text).value
    except ValidationError:
        return text


def normalize_phone(value: str) -> str:
    """Digits only, without a leading 0086/+86/86 country code (86 only before 11+ digits)."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0086"):
        return digits[4:]
    if digits.startswith("86") and len(digits) > 11:
        return digits[2:]
    return digits


_NORMALIZERS = {RESIDENT_ID: normalize_resident_id, PHONE: normalize_phone}


def normalize(value: str, kind: str) -> str:
    _check_kind(kind)
    return _NORMALIZERS[kind](value)


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


# --- masking -------------------------------------------------------------------------------


def mask_resident_id(value: str) -> str:
    """First 4 and last 4 characters: ``3204**********123X``."""
    text = (value or "").strip().upper()
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def mask_phone(value: str) -> str:
    """First 3 and last 4 digits of the normalized number: ``138****5678``."""
    digits = normalize_phone(value)
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


_MASKERS = {RESIDENT_ID: mask_resident_id, PHONE: mask_phone}


def mask(value: str, kind: str) -> str:
    _check_kind(kind)
    return _MASKERS[kind](value or "")


# --- the model field -----------------------------------------------------------------------


class ProtectedField(models.TextField):
    """A text value stored as a Fernet token; in Python it is the plaintext string.

    ``kind`` picks normalization and masking (``"resident_id"`` or ``"phone"``). With
    ``index_field``, saving and ``full_clean`` set that sibling ``CharField`` (see
    :func:`blind_index_field`, declared after this field) to the value's blind index. An
    empty value is stored empty and has an empty index.

    Tokens are non-deterministic, so the column can be neither compared nor unique: filter
    with :func:`protected_lookup` and enforce uniqueness with :func:`unique_protected` on the
    index field. Lookups other than ``isnull`` on this field are refused.
    """

    protected = True  # core.audit masks it
    description = gettext_lazy("Encrypted personal data")

    def __init__(self, *args: Any, kind: str, index_field: str | None = None, **kwargs: Any):
        _check_kind(kind)
        self.kind = kind
        self.index_field = index_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        if self.index_field:
            kwargs["index_field"] = self.index_field
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def value_to_string(self, obj):
        """The serialized form (``dumpdata``, fixtures, any ``django.core.serializers`` output):
        a fresh Fernet token, never the plaintext; the blind index is its own field."""
        value = self.value_from_object(obj)
        return encrypt(value) if value else ""

    def to_python(self, value):
        """A serialized token (a fixture from :meth:`value_to_string`) back to the plaintext; a
        plain value is kept as it is."""
        value = super().to_python(value)
        if isinstance(value, str) and value.startswith(FERNET_TOKEN_PREFIX):
            try:
                return decrypt(value)
            except InvalidToken:
                raise ValidationError(
                    _("This value was encrypted under another key."), code="invalid_token"
                ) from None
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name):
        # An exact/contains/... lookup would compare plaintext with random tokens: never true.
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def set_index(self, instance: models.Model, value: str | None) -> None:
        if self.index_field:
            setattr(instance, self.index_field, blind_index(value or "", kind=self.kind))

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        self.set_index(model_instance, value)
        return value

    def clean(self, value, model_instance):
        # Before validate_constraints runs, so a unique index constraint sees the new value.
        value = super().clean(value, model_instance)
        if model_instance is not None:
            self.set_index(model_instance, value)
        return value

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_index_field()]

    def _check_index_field(self) -> list[checks.CheckMessage]:
        if not self.index_field:
            return []
        opts = self.model._meta
        try:
            index = opts.get_field(self.index_field)
        except FieldDoesNotExist:
            return [
                checks.Error(
                    f"index_field {self.index_field!r} is not a field of {opts.label}.",
                    obj=self,
                    id="core.E101",
                )
            ]
        errors = []
        if not isinstance(index, models.CharField) or (index.max_length or 0) < 64:
            errors.append(
                checks.Error(
                    f"index_field {self.index_field!r} must be a CharField(max_length>=64).",
                    hint="Use core.pii.blind_index_field().",
                    obj=self,
                    id="core.E102",
                )
            )
        elif not index.blank:
            errors.append(
                checks.Error(
                    f"index_field {self.index_field!r} must allow blank (empty values).",
                    hint="Use core.pii.blind_index_field().",
                    obj=self,
                    id="core.E103",
                )
            )
        local = opts.local_concrete_fields
        if index in local and local.index(index) < local.index(self):
            # Model.save reads each column in declaration order: the index must come after.
            errors.append(
                checks.Error(
                    f"index_field {self.index_field!r} must be declared after {self.name!r}.",
                    obj=self,
                    id="core.E104",
                )
            )
        return errors


def blind_index_field(verbose_name=None) -> models.CharField:
    """The sibling column of a :class:`ProtectedField`: hex HMAC, empty for an empty value."""
    field = models.CharField(
        verbose_name or gettext_lazy("blind index"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        db_index=True,
    )
    field.audit_exclude = True  # derived from the protected value; the audit shows its mask
    return field


def unique_protected(index_field: str, *, name: str) -> models.UniqueConstraint:
    """Uniqueness of a protected value: a unique constraint on its index, ignoring empties
    (the token column cannot be unique, and many rows may have no value)."""
    return models.UniqueConstraint(
        fields=[index_field],
        condition=~Q(**{index_field: ""}),
        name=name,
        violation_error_code="unique",
        violation_error_message=gettext_lazy("A record with this value already exists."),
    )


def protected_fields(model: type[models.Model]) -> list[ProtectedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, ProtectedField)]


def set_indexes(instance: models.Model) -> None:
    """Set every blind index of ``instance`` from its current values: for the bulk paths
    (``bulk_update``, comparisons before a write) that skip ``pre_save``."""
    for field in protected_fields(type(instance)):
        field.set_index(instance, getattr(instance, field.attname))


class ProtectedModelMixin:
    """For models with protected fields: ``save(update_fields=[value])`` also writes the
    value's index, and a unique-index error is reported on the value's field (also when a
    form excluded the non-editable index field)."""

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            names = set(update_fields)
            extra = [
                f.index_field
                for f in protected_fields(type(self))
                if f.index_field and f.name in names and f.index_field not in names
            ]
            kwargs["update_fields"] = [*update_fields, *extra]
        return super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        value_of = {f.index_field: f.name for f in protected_fields(type(self)) if f.index_field}
        if exclude:
            exclude = {e for e in exclude if not (e in value_of and value_of[e] not in exclude)}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            errors: dict[str, list] = {}
            for key, messages in exc.error_dict.items():
                errors.setdefault(value_of.get(key, key), []).extend(messages)
            raise ValidationError(errors) from None


def _protected_field(model: type[models.Model], field_name: str) -> ProtectedField:
    field = model._meta.get_field(field_name)
    if not isinstance(field, ProtectedField):
        raise ValueError(f"{model._meta.label}.{field_name} is not a ProtectedField.")
    return field


def protected_lookup(model: type[models.Model], field_name: str, value: str) -> Q:
    """A filter for rows whose ``field_name`` equals ``value`` (after normalization), through
    the blind index (under any configured key, see :func:`blind_indexes_any_key`). An empty
    ``value`` matches the rows whose value is empty."""
    field = _protected_field(model, field_name)
    if not field.index_field:
        raise ValueError(f"{model._meta.label}.{field_name} has no index_field to look up.")
    indexes = blind_indexes_any_key(value, kind=field.kind)
    if len(indexes) == 1:
        return Q(**{field.index_field: indexes[0]})
    return Q(**{f"{field.index_field}__in": indexes})


# --- showing, revealing, exporting ---------------------------------------------------------


def display(obj: models.Model, field_name: str, user: Any = None) -> str:
    """The masked value, for every user: the plaintext comes only from :func:`reveal`."""
    field = _protected_field(type(obj), field_name)
    return mask(getattr(obj, field.attname) or "", field.kind)


def _actor_fields(actor: Any) -> dict[str, Any]:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return {
        "actor": actor if is_user else None,
        "actor_label": (actor.get_username() if is_user else str(actor or "system"))[:150],
    }


def reveal(*, actor: Any, obj: models.Model, field_name: str, reason: str) -> str:
    """The plaintext of ``obj.<field_name>`` for ``actor``, logged with ``reason``.

    Needs the ``core.reveal_pii`` permission (``PermissionDenied`` otherwise, nothing logged)
    and a non-blank reason (``ValidationError``). ``obj`` must have been read through the
    caller's scoped selector: this function checks the permission, not the scope. The log
    row is written in the caller's transaction.
    """
    field = _protected_field(type(obj), field_name)
    if obj.pk is None:
        raise ValueError("Only a saved object's value can be revealed.")
    if actor is None or not actor.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied(_("You are not allowed to reveal protected personal data."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for revealing this value.")})
    with transaction.atomic():
        PIIAccessLog.objects.create(
            **_actor_fields(actor),
            action=PIIAction.REVEAL,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
            fields=[field.name],
            row_count=1,
            reason=reason,
            request_id=current_request_id(),
        )
    return getattr(obj, field.attname) or ""


def record_export(
    *,
    actor: Any,
    model: type[models.Model],
    fields: Iterable[str],
    row_count: int,
    reason: str = "",
):
    """Log an export of ``row_count`` rows of ``model`` with these ``fields``; call it in the
    export's transaction (or before the file leaves). Returns the log row."""
    if row_count < 0:
        raise ValueError("row_count cannot be negative.")
    return PIIAccessLog.objects.create(
        **_actor_fields(actor),
        action=PIIAction.EXPORT,
        content_type=ContentType.objects.get_for_model(model),
        object_id="",
        fields=list(fields),
        row_count=row_count,
        reason=(reason or "").strip(),
        request_id=current_request_id(),
    )


# --- batch helpers (bulk intake) -------------------------------------------------------------


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
