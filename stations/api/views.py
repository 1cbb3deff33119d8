"""REST endpoints for stations: scoped CRUD for staff; the nearby directory, check-ins and the
HSDS export for rider apps and partner systems."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core import pii
from core.api.permissions import has_perm
from organizations.scoped import ScopedModelViewSet, ServiceSet

from .. import hsds, selectors, services
from ..filtersets import StationFilterSet
from ..models import MedicineCabinet, Station
from . import serializers as s


def _hsds_stations():
    return (
        selectors.directory_queryset()
        .select_related("region", "host_enterprise", "host_organization")
        .prefetch_related("facility_rows__facility", "opening_hours")
        .order_by("id")
    )


@extend_schema_view(
    list=extend_schema(tags=["stations"], summary=_("List stations")),
    retrieve=extend_schema(tags=["stations"], summary=_("Show one station")),
    create=extend_schema(tags=["stations"], summary=_("Create a station")),
    update=extend_schema(tags=["stations"], summary=_("Replace a station")),
    partial_update=extend_schema(tags=["stations"], summary=_("Change some fields of a station")),
    destroy=extend_schema(tags=["stations"], summary=_("Delete a station")),
)
class StationViewSet(ScopedModelViewSet):
    """Stations within your scope. ``facilities`` and ``opening_hours`` replace the station's
    rows when sent; ``compliant`` and ``missing`` are derived and cannot be written."""

    queryset = Station.objects.select_related("region").prefetch_related(
        "industries", "facilities", "opening_hours"
    )
    serializer_class = s.StationSerializer
    filterset_class = StationFilterSet
    services = ServiceSet.of(services, "station")

    def get_permissions(self):
        if self.action in ("nearby", "hsds", "hsds_csv"):
            return [has_perm("stations.view_station")()]
        if self.action == "check_ins":
            return [has_perm("stations.add_checkin")()]
        return super().get_permissions()

    @extend_schema(
        tags=["stations"],
        summary=_("Stations near a point"),
        description=_(
            "Active stations within `radius_m` metres of (`lat`, `lng`) (WGS-84), nearest first, "
            "with `distance_m`. `facility=<code>` keeps stations offering it; `open_now=true` "
            "keeps those open now (Asia/Shanghai, overnight hours and 24-hour stations honoured)."
        ),
        parameters=[s.NearbyQuerySerializer],
        responses=s.NearbyResultSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def nearby(self, request):
        query = s.NearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        found = selectors.nearby(
            lat=q["lat"],
            lng=q["lng"],
            radius_m=q["radius_m"],
            facility=q["facility"].code if q.get("facility") else "",
            open_now=q["open_now"],
            limit=q["limit"],
        )
        # Plain dicts in the serializer's shape: this endpoint is on every rider's screen.
        data = [s.nearby_row(item) for item in found]
        return Response({"count": len(data), "results": data})

    @extend_schema(
        tags=["stations"],
        summary=_("Record a check-in"),
        description=_(
            "A worker's visit, from a partner app or after scanning the station's QR code. "
            "Idempotent per worker, station and minute: a repeat within the same minute "
            "answers 200 with the existing check-in, a new one 201."
        ),
        request=s.CheckInRequestSerializer,
        responses={200: s.CheckInSerializer, 201: s.CheckInSerializer},
    )
    @action(detail=True, methods=["post"], url_path="check-ins", filterset_class=None)
    def check_ins(self, request, pk=None):
        # Any active station of the directory: a rider may check in anywhere in the city.
        station = get_object_or_404(selectors.directory_queryset(), pk=pk)
        body = s.CheckInRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        check_in, created = services.checkin_record(
            actor=request.user,
            station=station,
            worker=body.validated_data["worker"],
            channel=body.validated_data["channel"],
            at=body.validated_data.get("at"),
        )
        return Response(
            s.CheckInSerializer(check_in).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        tags=["stations"],
        summary=_("The station directory in Open Referral HSDS form (JSON)"),
        description=_(
            "Every active station as HSDS tables: organization, service, location, address, "
            "service_at_location and schedule."
        ),
        responses={200: dict},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def hsds(self, request):
        stations = list(_hsds_stations())
        data = hsds.tables(stations)
        pii.record_export(
            actor=request.user, model=Station, fields=list(hsds.COLUMNS), row_count=len(stations)
        )
        return Response(data)

    @extend_schema(
        tags=["stations"],
        summary=_("The station directory in Open Referral HSDS form (zipped CSV files)"),
        responses={(200, "application/zip"): bytes},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="hsds-csv",
        pagination_class=None,
        filterset_class=None,
    )
    def hsds_csv(self, request):
        stations = list(_hsds_stations())
        body = hsds.zipped_csv(hsds.tables(stations))
        pii.record_export(
            actor=request.user, model=Station, fields=list(hsds.COLUMNS), row_count=len(stations)
        )
        response = HttpResponse(body, content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="stations-hsds.zip"'
        return response


@extend_schema_view(
    list=extend_schema(tags=["stations"], summary=_("List medicine cabinets")),
    retrieve=extend_schema(tags=["stations"], summary=_("Show one medicine cabinet")),
    create=extend_schema(tags=["stations"], summary=_("Create a medicine cabinet")),
    update=extend_schema(tags=["stations"], summary=_("Replace a medicine cabinet")),
    partial_update=extend_schema(tags=["stations"], summary=_("Change a medicine cabinet")),
    destroy=extend_schema(tags=["stations"], summary=_("Delete a medicine cabinet")),
)
class MedicineCabinetViewSet(ScopedModelViewSet):
    queryset = MedicineCabinet.objects.prefetch_related("stock")
    serializer_class = s.MedicineCabinetSerializer
    services = ServiceSet.of(services, "cabinet")
