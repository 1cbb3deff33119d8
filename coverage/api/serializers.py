"""The REST face of coverage: snapshot rows with every rate as numerator and denominator."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import JobRun

from ..models import COUNT_FIELDS, CoverageSnapshot


class RateSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text=_("Empty when the denominator is 0."))


def rate(numerator: int, denominator: int) -> dict:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "rate": numerator / denominator if denominator else None,
    }


#: The rates of a snapshot: name → (numerator field, denominator field).
RATES = {
    "organization_coverage": ("organization_covered", "enterprises"),
    "standalone": ("standalone", "enterprises"),
    "shuangyou": ("shuangyou", "enterprises"),
    "work_only": ("work_only", "enterprises"),
    "uncovered": ("uncovered", "enterprises"),
    "workers_organization_covered": ("workers_organization_covered", "workers"),
}


class RatesSerializer(serializers.Serializer):
    organization_coverage = RateSerializer()
    standalone = RateSerializer()
    shuangyou = RateSerializer()
    work_only = RateSerializer()
    uncovered = RateSerializer()
    workers_organization_covered = RateSerializer()


def rates_of(counts) -> dict:
    return {name: rate(getattr(counts, n), getattr(counts, d)) for name, (n, d) in RATES.items()}


class CoverageSnapshotSerializer(serializers.ModelSerializer):
    """One snapshot row. ``industry`` is empty on the all-industry row."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    rates = serializers.SerializerMethodField()

    class Meta:
        model = CoverageSnapshot
        fields = ["id", "day", "region", "region_name", "industry", *COUNT_FIELDS, "rates"]
        read_only_fields = fields

    @extend_schema_field(RatesSerializer)
    def get_rates(self, obj) -> dict:
        return rates_of(obj)


class TrendPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rates = RatesSerializer()


class TrendSerializer(serializers.Serializer):
    region = serializers.CharField(allow_null=True)
    industry = serializers.CharField(allow_null=True)
    points = TrendPointSerializer(many=True)


class TrendQuerySerializer(serializers.Serializer):
    region = serializers.CharField(required=False, help_text=_("Region code (default: yours)."))
    industry = serializers.CharField(
        required=False, help_text=_("Industry code (default: all industries you see).")
    )
    date_from = serializers.DateField(required=False, help_text=_("First day (inclusive)."))
    date_to = serializers.DateField(required=False, help_text=_("Last day (inclusive)."))
    monthly = serializers.BooleanField(
        required=False, default=False, help_text=_("Only the last snapshot of each month.")
    )

    def validate(self, attrs):
        if (
            attrs.get("date_from")
            and attrs.get("date_to")
            and attrs["date_to"] < attrs["date_from"]
        ):
            raise serializers.ValidationError({"date_to": _("The end comes before the start.")})
        return attrs


class RollupRequestSerializer(serializers.Serializer):
    day = serializers.DateField(required=False, help_text=_("The day to compute (default: today)."))


class BackfillRequestSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    monthly = serializers.BooleanField(
        required=False, default=False, help_text=_("Only month ends and the last day.")
    )

    # The range rules (end not before start, at most ten years) live in
    # ``services.coverage_backfill_queue``; its refusal is a field error here too.


class JobRunSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = JobRun
        fields = [
            "id",
            "kind",
            "status",
            "created_at",
            "started_at",
            "finished_at",
            "progress_done",
            "progress_total",
            "percent",
            "parameters",
            "result",
            "error",
        ]
        read_only_fields = fields
