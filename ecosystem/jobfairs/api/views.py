"""The REST face of the job fairs: ``/api/v1/job-fairs/``, ``/api/v1/job-positions/`` (with
``near/``: open positions near a worker, for partner apps) and ``/api/v1/job-applications/``
(apply on a worker's behalf, follow the status; organizers advance it). Scoped; writes go
through ``ecosystem.jobfairs.services``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from ecosystem.permissions import StepPermissionsMixin
from organizations.scoped import ScopedModelViewSet, ServiceSet

from .. import selectors, services
from ..filtersets import JobApplicationFilterSet, JobFairFilterSet, PositionFilterSet
from ..models import JobApplication, JobFair, Position
from .serializers import (
    AdvanceSerializer,
    JobApplicationSerializer,
    JobFairSerializer,
    NearbyPositionSerializer,
    NearQuerySerializer,
    PositionSerializer,
)

TAG = ["job fairs"]


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List job fairs")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one job fair")),
    create=extend_schema(tags=TAG, summary=_("Record a job fair")),
    update=extend_schema(tags=TAG, summary=_("Replace a job fair")),
    partial_update=extend_schema(tags=TAG, summary=_("Change a job fair")),
    destroy=extend_schema(tags=TAG, summary=_("Delete a job fair")),
)
class JobFairViewSet(ScopedModelViewSet):
    queryset = JobFair.objects.select_related("host_organization", "region")
    serializer_class = JobFairSerializer
    filterset_class = JobFairFilterSet
    services = ServiceSet.of(services, "job_fair")

    def get_queryset(self):
        return selectors.fairs_for(self.request.user).order_by("-held_on", "-id")


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List positions")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one position")),
    create=extend_schema(tags=TAG, summary=_("Offer a position")),
    update=extend_schema(tags=TAG, summary=_("Replace a position")),
    partial_update=extend_schema(tags=TAG, summary=_("Change a position")),
    destroy=extend_schema(tags=TAG, summary=_("Delete a position")),
)
class PositionViewSet(ScopedModelViewSet):
    queryset = Position.objects.all()
    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
    services = ServiceSet.of(services, "position")

    def get_queryset(self):
        return selectors.positions_for(self.request.user).order_by("fair", "employer", "id")

    @extend_schema(
        tags=TAG,
        summary=_("Open positions near a worker"),
        description=_(
            "Open positions of every fair (published) within `km` (default 10) of the point, "
            "nearest first, at most 50."
        ),
        parameters=[
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("lng", float, required=True),
            OpenApiParameter("km", float, required=False),
        ],
        responses={200: NearbyPositionSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def near(self, request):
        query = NearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.open_positions_near(request.user, **query.validated_data)
        return Response(NearbyPositionSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List job applications")),
    retrieve=extend_schema(tags=TAG, summary=_("Application status")),
    create=extend_schema(
        tags=TAG,
        summary=_("Apply to an open position"),
        description=_(
            "On a worker's behalf (`worker`: an id in your scope) or for a named job seeker "
            "(`applicant_name`). A worker applies once per position."
        ),
    ),
)
class JobApplicationViewSet(StepPermissionsMixin, ScopedModelViewSet):
    queryset = JobApplication.objects.all()
    serializer_class = JobApplicationSerializer
    filterset_class = JobApplicationFilterSet
    services = ServiceSet.of(services, "application")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.applications_for(self.request.user).order_by("-applied_at", "-id")

    @extend_schema(
        tags=TAG,
        summary=_("Advance an application"),
        request=AdvanceSerializer,
        responses={200: JobApplicationSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def advance(self, request, pk=None):
        application = self.get_object()
        body = AdvanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.application_advance(
            actor=request.user, application=application, **body.validated_data
        )
        return Response(self.get_serializer(row).data)
