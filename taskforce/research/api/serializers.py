"""Serializers of the research API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from appeals.models import Category
from organizations.scoped import ScopedModelSerializer, ScopedPrimaryKeyRelatedField

from ...api.serializers import AttachmentInSerializer
from ...choices import OutputKind
from ...measures.models import Measure
from ..models import Campaign, Demand, ResearchOutput


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "starts_on", "ends_on", "summary"]


class DemandSerializer(ScopedModelSerializer):
    topic = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(active=True), label=_("topic (code)")
    )
    appeal_reference = serializers.CharField(
        source="appeal.reference", read_only=True, default=None, label=_("appeal reference")
    )

    class Meta:
        model = Demand
        fields = [
            "id",
            "campaign",
            "interview",
            "topic",
            "text",
            "outcome",
            "appeal",
            "appeal_reference",
            "measure",
            "policy_note",
            "decided_at",
        ]
        read_only_fields = ["outcome", "appeal", "measure", "policy_note", "decided_at"]
        extra_kwargs = {"campaign": {"required": False}}


class AttachMeasureSerializer(serializers.Serializer):
    measure = ScopedPrimaryKeyRelatedField(queryset=Measure.objects.all(), label=_("measure"))


@extend_schema_serializer(component_name="DemandPolicyInput")
class PolicySerializer(serializers.Serializer):
    policy_note = serializers.CharField(max_length=200, label=_("policy it informs"))


class OutputInSerializer(AttachmentInSerializer):
    kind = serializers.ChoiceField(label=_("kind"), choices=OutputKind.choices)
    issued_on = serializers.DateField(label=_("issued on"), required=False, allow_null=True)
    note = serializers.CharField(label=_("note"), required=False, allow_blank=True)


class OutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResearchOutput
        fields = [
            "id",
            "campaign",
            "kind",
            "title",
            "issued_on",
            "file_name",
            "content_type",
            "link",
            "note",
        ]
        read_only_fields = fields  # an answer only; the upload is OutputInSerializer
