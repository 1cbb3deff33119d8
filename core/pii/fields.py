"""The model side: :class:`ProtectedField` with its blind-index sibling, the uniqueness
constraint, :class:`ProtectedModelMixin` and lookups by value."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import InvalidToken
from django.core import checks
from django.core.exceptions import (
    FieldDoesNotExist,
    ValidationError,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .crypto import blind_index, blind_indexes_any_key, decrypt, encrypt
from .values import FERNET_TOKEN_PREFIX, _check_kind


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
        path = "core.pii.ProtectedField"  # the public name migrations import, not its module
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
