"""Serializers of the mass-organizations API (:mod:`ecosystem.massorgs.api.views`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.models import Industry, PartyOrganization, Region
from organizations.scoped import ScopedModelSerializer

from ..models import MassOrganization, MediationCase, ServiceProject


class MassOrganizationSerializer(ScopedModelSerializer):
    leading_organization = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PartyOrganization.objects.all(),
        label=_("leading party organization (code)"),
    )
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        label=_("region (code)"),
    )
    industry = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Industry.objects.all(),
        required=False,
        allow_null=True,
        label=_("industry (code)"),
    )

    class Meta:
        model = MassOrganization
        fields = [
            "id",
            "kind",
            "name",
            "attachment",
            "enterprise",
            "industry",
            "region",
            "leading_organization",
            "member_count",
            "founded_on",
        ]


class ServiceProjectSerializer(ScopedModelSerializer):
    class Meta:
        model = ServiceProject
        fields = [
            "id",
            "organization",
            "kind",
            "name",
            "starts_on",
            "ends_on",
            "beneficiaries",
            "children_enrolled",
            "sessions",
            "amount",
        ]


class MediationCaseSerializer(ScopedModelSerializer):
    class Meta:
        model = MediationCase
        fields = [
            "id",
            "project",
            "appeal",
            "opened_on",
            "closed_on",
            "workers_involved",
            "amount_recovered",
            "status",
            "summary",
        ]
