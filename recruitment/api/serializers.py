"""The REST face of the pipeline: shapes only. Rules live in ``recruitment.services``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import pii
from core.identity import check_resident_id
from organizations.models import Industry, Region
from organizations.scoped import ScopedModelSerializer

from ..choices import StepCode
from ..models import Candidate, Step


@extend_schema_field(OpenApiTypes.STR)
class MaskedField(serializers.Field):
    """The masked value of a protected field, read only."""

    def __init__(self, protected_field: str, **kwargs):
        self.protected_field = protected_field
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        return pii.display(obj, self.protected_field)

    def values_column(self):
        """``core.api.fastlist``: the plaintext column (decrypted by ``.values()``), masked."""
        kind = Candidate._meta.get_field(self.protected_field).kind
        return self.protected_field, lambda value: pii.mask(value or "", kind)


def _protected_input(label):
    return serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=32,
        label=label,
        help_text=_("Write only: responses carry the masked value."),
        style={"input_type": "password"},
    )


class CandidateSerializer(ScopedModelSerializer):
    id_number = _protected_input(_("resident ID number"))
    id_number_masked = MaskedField("id_number", label=_("resident ID number (masked)"))
    phone = _protected_input(_("phone"))
    phone_masked = MaskedField("phone", label=_("phone (masked)"))
    industry = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Industry.objects.all(),
        allow_null=True,
        required=False,
        label=_("industry (code)"),
    )
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        allow_null=True,
        required=False,
        label=_("region (code)"),
    )

    class Meta:
        model = Candidate
        fields = [
            "id",
            "worker",
            "name",
            "id_number",
            "id_number_masked",
            "phone",
            "phone_masked",
            "birth_date",
            "organization",
            "industry",
            "region",
            "applied_on",
            "stage",
            "last_step",
            "last_step_on",
            "member",
        ]
        read_only_fields = ["birth_date", "stage", "last_step", "last_step_on", "member"]
        extra_kwargs = {"name": {"required": False}}

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


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["id", "candidate", "number", "code", "on", "actor", "details", "note"]
        read_only_fields = fields


class StepInputSerializer(serializers.Serializer):
    """A step to record: its code, date and details (the rule of the step says which)."""

    step = serializers.ChoiceField(choices=StepCode.choices, label=_("step"))
    on = serializers.DateField(label=_("date"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    method = serializers.CharField(required=False, allow_blank=True, max_length=32)
    contacts = serializers.ListField(child=serializers.IntegerField(), required=False)
    introducers = serializers.ListField(child=serializers.IntegerField(), required=False)
    training_class = serializers.IntegerField(required=False, allow_null=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False)
    days = serializers.IntegerField(required=False, min_value=0)
    voting_members = serializers.IntegerField(required=False, min_value=0)
    present = serializers.IntegerField(required=False, min_value=0)
    in_favour = serializers.IntegerField(required=False, min_value=0)
    member_id = serializers.CharField(required=False, max_length=64)


class OverdueSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(source="candidate.pk")
    name = serializers.CharField(source="candidate.name")
    organization = serializers.CharField(source="candidate.organization.name")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    since = serializers.DateField()
    due = serializers.DateField()


class OverdueListSerializer(serializers.Serializer):
    results = OverdueSerializer(many=True)


class BoardRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    stages = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class BoardBreakdownSerializer(serializers.Serializer):
    title = serializers.CharField()
    rows = BoardRowSerializer(many=True)


class BoardSerializer(serializers.Serializer):
    totals = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    breakdowns = BoardBreakdownSerializer(many=True)
