"""Serializers of the job-fairs API (:mod:`ecosystem.jobfairs.api.views`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.models import PartyOrganization, Region
from organizations.scoped import ScopedModelSerializer

from ..choices import ApplicationStatus
from ..models import JobApplication, JobFair, Position


class JobFairSerializer(ScopedModelSerializer):
    host_organization = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PartyOrganization.objects.all(),
        label=_("host organization (code)"),
    )
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), label=_("region (code)")
    )
    employer_count = serializers.IntegerField(read_only=True, label=_("employers"))

    class Meta:
        model = JobFair
        fields = [
            "id",
            "title",
            "held_on",
            "host_organization",
            "region",
            "live_room",
            "platform",
            "account",
            "viewers",
            "peak_viewers",
            "employer_count",
        ]


class PositionSerializer(ScopedModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), label=_("work region (code)")
    )
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    hired = serializers.IntegerField(read_only=True, label=_("hired"))

    class Meta:
        model = Position
        fields = [
            "id",
            "fair",
            "employer",
            "employer_name",
            "title",
            "headcount",
            "hired",
            "pay_min",
            "pay_max",
            "industry",
            "region",
            "requirements",
            "lat",
            "lng",
            "status",
        ]


class NearbyPositionSerializer(PositionSerializer):
    distance_km = serializers.FloatField(read_only=True, label=_("distance (km)"))

    class Meta(PositionSerializer.Meta):
        fields = [*PositionSerializer.Meta.fields, "distance_km"]


class NearQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)
    km = serializers.FloatField(min_value=0.1, max_value=100, required=False, default=10)


class JobApplicationSerializer(ScopedModelSerializer):
    position = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.all(), label=_("position")
    )

    class Meta:
        model = JobApplication
        fields = [
            "id",
            "position",
            "worker",
            "applicant_name",
            "channel",
            "status",
            "applied_at",
            "interviewed_on",
            "hired_on",
        ]
        read_only_fields = ["channel", "status", "applied_at", "interviewed_on", "hired_on"]
        extra_kwargs = {"applicant_name": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        # Open positions are published: any position may be named; the service says whether
        # it is open (and answers an unknown and a closed one alike for outsiders).
        fields["position"].queryset = Position.objects.all()
        return fields


class AdvanceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.APPLIED]
    )
    on = serializers.DateField(required=False, label=_("on (date)"))
