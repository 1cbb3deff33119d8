"""The REST face of stations: shapes only. Rules live in the models and services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import code_field
from members.models import Worker
from organizations.models import Industry, Region
from organizations.scoped import ScopedModelSerializer, ScopedPrimaryKeyRelatedField

from ..choices import CheckInChannel
from ..compliance import verdict
from ..models import CabinetStock, CheckIn, Facility, MedicineCabinet, OpeningHours, Station
from ..selectors import MAX_RADIUS_M


class OpeningHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]


class StationSerializer(ScopedModelSerializer):
    """A station; ``compliant`` and ``missing`` are derived from ``facilities``."""

    region = code_field(Region, _("region (code)"))
    industries = code_field(
        Industry, _("groups served (industry codes)"), many=True, required=False
    )
    facilities = code_field(Facility, _("facilities (codes)"), many=True, required=False)
    opening_hours = OpeningHoursSerializer(many=True, required=False)
    missing = serializers.SerializerMethodField(label=_("what the 6+X standard still needs"))

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "kind",
            "host_enterprise",
            "host_organization",
            "region",
            "address",
            "latitude",
            "longitude",
            "is_24h",
            "opening_hours",
            "industries",
            "facilities",
            "status",
            "compliant",
            "missing",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["compliant", "created_at", "updated_at"]

    def get_missing(self, obj) -> dict:
        # Read once per response: ``setdefault`` evaluated its argument (one query) per row.
        catalogue = self.context.get("_catalogue")
        if catalogue is None:
            catalogue = self.context["_catalogue"] = list(Facility.objects.all())
        result = verdict(obj.facilities.all(), catalogue)
        return {
            "facilities": list(result.missing_facilities),
            "principles": list(result.missing_principles),
        }


class NearbyQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, label=_("latitude (WGS-84)"))
    lng = serializers.FloatField(min_value=-180, max_value=180, label=_("longitude (WGS-84)"))
    radius_m = serializers.IntegerField(
        min_value=1, max_value=MAX_RADIUS_M, default=3000, label=_("radius (m)")
    )
    facility = code_field(Facility, _("needed facility (code)"), optional=True)
    open_now = serializers.BooleanField(default=False, label=_("open now only"))
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class NearbyStationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="station.pk")
    name = serializers.CharField(source="station.name")
    kind = serializers.CharField(source="station.kind")
    address = serializers.CharField(source="station.address")
    region = serializers.CharField(source="station.region_name")
    latitude = serializers.FloatField(source="station.latitude")
    longitude = serializers.FloatField(source="station.longitude")
    is_24h = serializers.BooleanField(source="station.is_24h")
    open_now = serializers.BooleanField()
    distance_m = serializers.SerializerMethodField()
    facilities = serializers.SerializerMethodField()
    compliant = serializers.BooleanField(source="station.compliant")

    def get_distance_m(self, obj) -> int:
        return round(obj.distance_m)

    def get_facilities(self, obj) -> list[str]:
        return obj.facilities


class NearbyResultSerializer(serializers.Serializer):
    """What ``/stations/nearby/`` answers: the stations found, nearest first, and their count."""

    count = serializers.IntegerField()
    results = NearbyStationSerializer(many=True)


def nearby_row(found) -> dict:
    """One :class:`NearbyStationSerializer` row, built directly (same keys and types)."""
    station = found.station
    return {
        "id": station.pk,
        "name": station.name,
        "kind": station.kind,
        "address": station.address,
        "region": station.region_name,
        "latitude": station.latitude,
        "longitude": station.longitude,
        "is_24h": station.is_24h,
        "open_now": found.open_now,
        "distance_m": round(found.distance_m),
        "facilities": found.facilities,
        "compliant": station.compliant,
    }


class CheckInRequestSerializer(serializers.Serializer):
    worker = ScopedPrimaryKeyRelatedField(queryset=Worker.objects.all(), label=_("worker"))
    channel = serializers.ChoiceField(choices=CheckInChannel.choices, label=_("channel"))
    at = serializers.DateTimeField(required=False, label=_("time"))


class CheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "worker", "station", "at", "minute", "channel"]
        read_only_fields = fields


class CabinetStockSerializer(serializers.ModelSerializer):
    is_low = serializers.BooleanField(read_only=True)

    class Meta:
        model = CabinetStock
        fields = ["id", "name", "quantity", "threshold", "is_low"]


class MedicineCabinetSerializer(ScopedModelSerializer):
    stock = CabinetStockSerializer(many=True, read_only=True)

    class Meta:
        model = MedicineCabinet
        fields = ["id", "station", "code", "is_24h", "active", "stock"]
