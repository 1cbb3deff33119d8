"""Serializer fields the apps' APIs share: references by code, and protected personal data
that goes in write-only and comes out masked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import pii
from core.identity import check_resident_id


def code_field(
    model: type[models.Model], label: Any, *, optional: bool = False, **kwargs: Any
) -> serializers.SlugRelatedField:
    """A reference to a ``model`` row by its ``code`` (a region, an industry, an organization);
    ``optional``: may be left out or null. A scoped serializer narrows what it accepts."""
    if optional:
        kwargs = {"allow_null": True, "required": False, **kwargs}
    kwargs.setdefault("queryset", model.objects.all())
    return serializers.SlugRelatedField(slug_field="code", label=label, **kwargs)


def protected_input(label: Any) -> serializers.CharField:
    """A resident ID number or phone as written: never read back (:class:`MaskedField` is)."""
    return serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=32,
        label=label,
        help_text=_("Write only: responses carry the masked value."),
        style={"input_type": "password"},
    )


@extend_schema_field(OpenApiTypes.STR)
class MaskedField(serializers.Field):
    """The masked value of a protected field (``core.pii.display``), read only."""

    def __init__(self, protected_field: str, **kwargs: Any) -> None:
        self.protected_field = protected_field
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        return pii.display(obj, self.protected_field)

    def values_column(self):
        """``core.api.fastlist``: the plaintext column (decrypted by ``.values()``), masked."""
        model = self.parent.Meta.model
        kind = model._meta.get_field(self.protected_field).kind
        return self.protected_field, pii.masker(kind)


class ProtectedInputMixin(serializers.Serializer):
    """``id_number`` and ``phone`` as written: a valid resident ID number (a legacy 15-digit
    one converted), a phone of 7 to 15 digits; empty leaves them empty."""

    def validate_id_number(self, value: str) -> str:
        value = (value or "").strip()
        if not value:
            return value
        try:
            return check_resident_id(value).value
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_phone(self, value: str) -> str:
        digits = pii.normalize_phone(value)
        if value and not 7 <= len(digits) <= 15:
            raise serializers.ValidationError(_("Enter a phone number."))
        return digits
