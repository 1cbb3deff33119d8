"""Serializers of the job-fairs API (:mod:`ecosystem.jobfairs.api.views`)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import code_field
from organizations import scoping
from organizations.models import PartyOrganization, Region
from organizations.scoped import ScopedModelSerializer

from ..choices import ApplicationStatus
from ..models import JobApplication, JobFair, Position
from ..selectors import published_positions


class JobFairSerializer(ScopedModelSerializer):
    host_organization = code_field(PartyOrganization, _("host organization (code)"))
    region = code_field(Region, _("region (code)"))
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
    region = code_field(Region, _("work region (code)"))
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
        # Open positions are published: any of them may be named, besides the positions in the
        # user's scope (whose closing the service explains). Any other position answers like
        # one that does not exist.
        user = getattr(self.context.get("request"), "user", None)
        reachable = Q(pk__in=published_positions(user).values("pk")) | Q(
            pk__in=scoping.visible(Position, user).values("pk")
        )
        fields["position"].queryset = Position.objects.filter(reachable)
        return fields


class AdvanceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.APPLIED]
    )
    on = serializers.DateField(required=False, label=_("on (date)"))
