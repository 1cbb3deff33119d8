"""The REST face of the pipeline: shapes only. Rules live in ``recruitment.services``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import MaskedField, ProtectedInputMixin, code_field, protected_input
from organizations.models import Industry, Region
from organizations.scoped import ScopedModelSerializer

from ..choices import StepCode
from ..models import Candidate, Step


class CandidateSerializer(ProtectedInputMixin, ScopedModelSerializer):
    id_number = protected_input(_("resident ID number"))
    id_number_masked = MaskedField("id_number", label=_("resident ID number (masked)"))
    phone = protected_input(_("phone"))
    phone_masked = MaskedField("phone", label=_("phone (masked)"))
    industry = code_field(Industry, _("industry (code)"), optional=True)
    region = code_field(Region, _("region (code)"), optional=True)

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
