"""REST endpoints of coverage: scoped snapshot rows, a trend, and queuing a rollup."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.models import JobRun
from organizations.models import Industry, Region
from organizations.scoping import restrict

from .. import selectors, services
from ..filtersets import CoverageSnapshotFilterSet
from ..models import COUNT_FIELDS, CoverageSnapshot
from . import serializers as s

RECOMPUTE_PERMISSION = "coverage.recompute_coveragesnapshot"


class CanRecompute(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(RECOMPUTE_PERMISSION))


def _job_response(job: JobRun, request) -> Response:
    body = s.JobRunSerializer(job).data
    body["status_url"] = request.build_absolute_uri(f"/api/v1/coverage/jobs/{job.pk}/")
    return Response(body, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(
        tags=["coverage"],
        summary=_("List coverage snapshot rows"),
        description=_(
            "One row per day × region × industry (``industry`` empty: all industries "
            "together), for every level of the region tree, computed nightly from the data. "
            "Every rate is given as numerator and denominator. A secretary sees their "
            "industry's rows in their region; district staff see their region's rows."
        ),
    ),
    retrieve=extend_schema(tags=["coverage"], summary=_("Show one coverage snapshot row")),
)
class CoverageSnapshotViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CoverageSnapshot.objects.select_related("region", "industry")
    serializer_class = s.CoverageSnapshotSerializer
    filterset_class = CoverageSnapshotFilterSet

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user)

    def get_permissions(self):
        if self.action in ("rollups", "backfills"):
            return [CanRecompute()]
        return super().get_permissions()

    @extend_schema(
        tags=["coverage"],
        summary=_("Coverage over time"),
        description=_(
            "The figures of one region (default: the top of your scope) per snapshot day, for "
            "one industry or all you see, with numerators and denominators."
        ),
        parameters=[s.TrendQuerySerializer],
        responses=s.TrendSerializer,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def trend(self, request):
        query = s.TrendQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        region = industry = None
        if params.get("region"):
            region = Region.objects.filter(code=params["region"]).first()
            if region is None:
                raise Http404
        if params.get("industry"):
            industry = Industry.objects.filter(code=params["industry"]).first()
            if industry is None:
                raise Http404
        view = selectors.coverage_view(user=request.user, region=region, industry=industry)
        points = selectors.trend(
            user=request.user,
            regions=view.focus,
            industry_q=view.industry_q(),
            start=params.get("date_from"),
            end=params.get("date_to"),
            monthly=params.get("monthly", False),
        )
        focus = view.focus_region
        return Response(
            {
                "region": focus.code if focus else None,
                "industry": industry.code if industry else None,
                "points": [
                    {
                        "day": day,
                        "counts": {name: getattr(counts, name) for name in COUNT_FIELDS},
                        "rates": s.rates_of(counts),
                    }
                    for day, counts in points
                ],
            }
        )

    @extend_schema(
        tags=["coverage"],
        summary=_("Recompute one day's snapshot"),
        description=_(
            "Queues the rollup of a day (default: today) and answers at once with the job run; "
            "follow ``status_url``. Needs the permission to recompute coverage."
        ),
        request=s.RollupRequestSerializer,
        responses={202: s.JobRunSerializer},
    )
    @action(detail=False, methods=["post"], filterset_class=None)
    def rollups(self, request):
        data = s.RollupRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.coverage_rollup_queue(actor=request.user, day=data.validated_data.get("day"))
        return _job_response(job, request)

    @extend_schema(
        tags=["coverage"],
        summary=_("Backfill snapshots over a date range"),
        description=_(
            "Queues snapshots of every day from ``start`` to ``end`` (or only month ends with "
            "``monthly``). Past days count what existed then with today's coverage modes."
        ),
        request=s.BackfillRequestSerializer,
        responses={202: s.JobRunSerializer},
    )
    @action(detail=False, methods=["post"], filterset_class=None)
    def backfills(self, request):
        data = s.BackfillRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.coverage_backfill_queue(actor=request.user, **data.validated_data)
        return _job_response(job, request)

    @extend_schema(
        tags=["coverage"],
        summary=_("Show a coverage job run"),
        description=_("Status and progress of a rollup or backfill you queued."),
        parameters=[OpenApiParameter("job_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=s.JobRunSerializer,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"jobs/(?P<job_id>[0-9]+)",
        filterset_class=None,
        pagination_class=None,
    )
    def jobs(self, request, job_id: str):
        job = get_object_or_404(JobRun, pk=job_id, kind__startswith="coverage.")
        user = request.user
        if job.created_by_id != user.pk and not user.has_perm(RECOMPUTE_PERMISSION):
            raise Http404
        return Response(s.JobRunSerializer(job).data)
