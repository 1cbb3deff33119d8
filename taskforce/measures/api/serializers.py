"""Serializers of the measures API."""

from __future__ import annotations

from rest_framework import serializers

from organizations.scoped import ScopedModelSerializer

from ..models import IndicatorReport, Measure


class IndicatorReportSerializer(ScopedModelSerializer):
    class Meta:
        model = IndicatorReport
        fields = ["id", "indicator", "quarter", "actual", "note", "reported_by", "reported_at"]
        read_only_fields = ["reported_by", "reported_at"]

    def validate(self, attrs):
        if self.instance is not None:
            # A report stays the report of its indicator and quarter: correct its value.
            attrs.pop("indicator", None)
            attrs.pop("quarter", None)
        return attrs


class MeasureSerializer(serializers.ModelSerializer):
    """The schema's shape of a measure; the list and detail answer :func:`measure_data`."""

    number = serializers.IntegerField(source="policy.number", read_only=True)
    title = serializers.CharField(source="policy.title", read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "number", "title", "text"]


def _number(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def indicator_data(row) -> dict:
    indicator = row.indicator
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "year": indicator.year,
        "unit_of_measure": indicator.measure_unit,
        "target": _number(indicator.target),
        "cumulative": indicator.cumulative,
        "reporting_unit": indicator.department.code,
        "value": _number(row.value()),
        "percent": row.percent,
        "quarters": [
            {
                "quarter": q,
                "actual": _number(r.actual),
                "reported_by": r.reported_by.get_username() if r.reported_by else None,
                "reported_at": serializers.DateTimeField().to_representation(r.reported_at),
            }
            for q, r in sorted(row.actuals.items())
        ],
    }


def measure_data(progress) -> dict:
    measure = progress.measure
    return {
        "id": measure.pk,
        "number": measure.policy.number,
        "title": measure.policy.title,
        "text": measure.text,
        "lead_unit": measure.lead_unit.code if measure.lead_unit else None,
        "responsible_units": [u.code for u in measure.responsible_units.all()],
        "percent": progress.percent,
        "statuses": {str(q): s for q, s in sorted(progress.statuses.items())},
        "overdue_reports": [
            {"indicator": i.pk, "quarter": q, "reporting_unit": i.department.code}
            for i, q in progress.overdue
        ],
        "appeal_count": progress.appeal_count,
        "demand_count": progress.demand_count,
        "indicators": [indicator_data(row) for row in progress.indicators],
    }
