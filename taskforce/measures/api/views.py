"""The REST face of the 18 measures: ``/api/v1/measures/`` (each measure with its indicators,
quarterly actuals, progress, status per quarter and overdue reports; ``?year=``) and
``/api/v1/measure-reports/`` (quarterly reports: a reporting unit's staff create and correct
their indicators' reports)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.filters import YEAR_MAX, YEAR_MIN
from organizations.scoped import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceSet

from .. import selectors, services
from ..filtersets import IndicatorReportFilterSet
from ..models import IndicatorReport, Measure
from .serializers import IndicatorReportSerializer, MeasureSerializer, measure_data

TAG = ["measures"]
YEAR = OpenApiParameter("year", OpenApiTypes.INT, description=_("Year (default: this year)"))


def _year(request) -> int:
    raw = request.query_params.get("year")
    if not raw:
        return timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(
            {"year": [_("Enter a year between %(a)s and %(b)s.") % {"a": YEAR_MIN, "b": YEAR_MAX}]}
        )
    return year


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List the measures with progress"), parameters=[YEAR]),
    retrieve=extend_schema(
        tags=TAG, summary=_("Show one measure with progress"), parameters=[YEAR]
    ),
)
class MeasureViewSet(ScopedReadOnlyViewSet):
    """The measures in your scope (a member unit sees those it leads or is responsible for),
    each with its indicators of the year, quarterly actuals, progress, status per quarter and
    overdue reports, computed from the reports."""

    queryset = Measure.objects.select_related("policy")
    serializer_class = MeasureSerializer
    ordering = "id"

    def list(self, request, *args, **kwargs):
        year = _year(request)
        page = self.paginate_queryset(self.get_queryset())
        board = selectors.measure_board(request.user, year, measure_ids=[m.pk for m in page])
        by_pk = {p.measure.pk: p for p in board}
        return self.get_paginated_response([measure_data(by_pk[m.pk]) for m in page])

    def retrieve(self, request, *args, **kwargs):
        measure = self.get_object()
        board = selectors.measure_board(request.user, _year(request), measure_ids=[measure.pk])
        return Response(measure_data(board[0]))


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List quarterly indicator reports")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one indicator report")),
    create=extend_schema(tags=TAG, summary=_("Report an indicator's quarter")),
    update=extend_schema(tags=TAG, summary=_("Correct an indicator report")),
    partial_update=extend_schema(tags=TAG, summary=_("Correct an indicator report")),
    destroy=extend_schema(tags=TAG, summary=_("Delete an indicator report")),
)
class IndicatorReportViewSet(ScopedModelViewSet):
    """Quarterly actuals of the indicators your unit reports. Reporting a quarter again
    corrects it; a quarter that has not begun is refused."""

    queryset = IndicatorReport.objects.select_related("indicator", "reported_by").order_by(
        "indicator", "quarter"
    )
    serializer_class = IndicatorReportSerializer
    filterset_class = IndicatorReportFilterSet
    services = ServiceSet.of(services, "report")
