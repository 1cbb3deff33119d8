"""Serializers of the whistles API (:mod:`ecosystem.whistles.api.views`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.models import Department
from organizations.scoped import ScopedModelSerializer

from ..models import ChainEnterprise, IndustryChain, Policy, Whistle, WhistleAssignment


class IndustryChainSerializer(ScopedModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IndustryChain
        fields = ["id", "code", "name", "committee", "sort_order"]


class ChainEnterpriseSerializer(ScopedModelSerializer):
    class Meta:
        model = ChainEnterprise
        fields = ["id", "chain", "name", "uscc", "region", "is_leader", "party_organization"]


class PolicySerializer(ScopedModelSerializer):
    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        label=_("issued by (code)"),
    )

    class Meta:
        model = Policy
        fields = ["id", "title", "category", "department", "issued_on", "summary", "url"]


class AssignmentSerializer(ScopedModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    supervisor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = WhistleAssignment
        fields = [
            "id",
            "whistle",
            "department",
            "status",
            "assigned_at",
            "due_at",
            "overdue",
            "reported_at",
            "resolved_at",
            "escalations",
            "supervisor",
            "report_note",
            "outcome",
            "loan_amount",
            "talents_introduced",
            "approval_obtained",
        ]
        read_only_fields = fields


class WhistleSerializer(ScopedModelSerializer):
    departments = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        many=True,
        required=False,
        write_only=True,
        label=_("departments to route to (codes)"),
    )
    assignments = AssignmentSerializer(many=True, read_only=True)
    chain = serializers.PrimaryKeyRelatedField(read_only=True)
    policies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Whistle
        fields = [
            "id",
            "reference",
            "chain",
            "enterprise",
            "raised_by",
            "category",
            "title",
            "description",
            "raised_at",
            "status",
            "closed_at",
            "policies",
            "departments",
            "assignments",
        ]
        read_only_fields = ["reference", "raised_at", "status", "closed_at"]


class RouteSerializer(serializers.Serializer):
    departments = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), many=True, allow_empty=False
    )


class ReportSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=4000)
    loan_amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, default=0
    )
    talents_introduced = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False, default=0
    )
    approval_obtained = serializers.BooleanField(required=False, default=False)
    policies = serializers.PrimaryKeyRelatedField(
        queryset=Policy.objects.all(), many=True, required=False
    )
