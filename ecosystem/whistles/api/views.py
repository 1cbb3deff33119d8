"""The REST face of the whistles: ``/api/v1/industry-chains/``, ``/api/v1/chain-enterprises/``,
``/api/v1/enterprise-policies/``, ``/api/v1/whistles/`` (raise, route, close) and
``/api/v1/whistle-assignments/`` (report, resolve). Scoped: a record outside scope is 404;
every write goes through ``ecosystem.whistles.services``."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from ecosystem.permissions import StepPermissionsMixin
from organizations.scoped import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceSet

from .. import services
from ..filtersets import (
    IndustryChainFilterSet,
    PolicyFilterSet,
    WhistleAssignmentFilterSet,
    WhistleFilterSet,
)
from ..models import ChainEnterprise, IndustryChain, Policy, Whistle, WhistleAssignment
from .serializers import (
    AssignmentSerializer,
    ChainEnterpriseSerializer,
    IndustryChainSerializer,
    PolicySerializer,
    ReportSerializer,
    ResolveSerializer,
    RouteSerializer,
    WhistleSerializer,
)

TAG = ["whistles"]


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List industry chains")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one industry chain")),
)
class IndustryChainViewSet(ScopedReadOnlyViewSet):
    queryset = IndustryChain.objects.select_related("committee").order_by("sort_order", "code")
    serializer_class = IndustryChainSerializer
    filterset_class = IndustryChainFilterSet


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List chain enterprises")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one chain enterprise")),
    create=extend_schema(tags=TAG, summary=_("Add an enterprise to a chain")),
    update=extend_schema(tags=TAG, summary=_("Replace a chain enterprise")),
    partial_update=extend_schema(tags=TAG, summary=_("Change a chain enterprise")),
    destroy=extend_schema(tags=TAG, summary=_("Remove a chain enterprise")),
)
class ChainEnterpriseViewSet(ScopedModelViewSet):
    queryset = ChainEnterprise.objects.order_by("chain", "name", "id")
    serializer_class = ChainEnterpriseSerializer
    services = ServiceSet.of(services, "chain_enterprise")


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List policies for enterprises")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one policy")),
    create=extend_schema(tags=TAG, summary=_("Add a policy (city-wide staff)")),
    update=extend_schema(tags=TAG, summary=_("Replace a policy")),
    partial_update=extend_schema(tags=TAG, summary=_("Change a policy")),
    destroy=extend_schema(tags=TAG, summary=_("Delete a policy")),
)
class PolicyViewSet(ScopedModelViewSet):
    queryset = Policy.objects.select_related("department").order_by("-issued_on", "title", "id")
    serializer_class = PolicySerializer
    filterset_class = PolicyFilterSet
    services = ServiceSet.of(services, "policy")


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List whistles")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one whistle with its departments")),
    create=extend_schema(
        tags=TAG,
        summary=_("Raise a whistle"),
        description=_(
            "An enterprise on a chain raises a problem; with `departments` (codes) it is "
            "routed at once, each department due to report within working hours."
        ),
    ),
)
class WhistleViewSet(StepPermissionsMixin, ScopedModelViewSet):
    # One query per relation whatever the page holds (a null supervisor on every row of a page
    # would otherwise skip a prefetch query and the count would vary with the rows).
    queryset = Whistle.objects.select_related("chain", "enterprise").prefetch_related(
        "policies",
        Prefetch(
            "assignments",
            queryset=WhistleAssignment.objects.select_related("department", "supervisor"),
        ),
    )
    serializer_class = WhistleSerializer
    filterset_class = WhistleFilterSet
    services = ServiceSet.of(services, "whistle")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("-raised_at", "-id")

    @extend_schema(
        tags=TAG,
        summary=_("Route to departments"),
        request=RouteSerializer,
        responses={200: WhistleSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def route(self, request, pk=None):
        whistle = self.get_object()
        body = RouteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.whistle_route(
            actor=request.user, whistle=whistle, departments=body.validated_data["departments"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=whistle.pk)).data)

    @extend_schema(
        tags=TAG,
        summary=_("Close a resolved whistle"),
        request=None,
        responses={200: WhistleSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        whistle = self.get_object()
        services.whistle_close(actor=request.user, whistle=whistle)
        return Response(self.get_serializer(self.get_queryset().get(pk=whistle.pk)).data)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List department assignments")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one department assignment")),
)
class WhistleAssignmentViewSet(StepPermissionsMixin, ScopedReadOnlyViewSet):
    """What each department must answer; a member unit's staff see their unit's."""

    queryset = WhistleAssignment.objects.select_related("department", "supervisor").order_by(
        "due_at", "id"
    )
    serializer_class = AssignmentSerializer
    filterset_class = WhistleAssignmentFilterSet

    @extend_schema(
        tags=TAG,
        summary=_("Report (acknowledge)"),
        request=ReportSerializer,
        responses={200: AssignmentSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def report(self, request, pk=None):
        assignment = self.get_object()
        body = ReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.assignment_report(
            actor=request.user, assignment=assignment, note=body.validated_data.get("note", "")
        )
        return Response(self.get_serializer(row).data)

    @extend_schema(
        tags=TAG,
        summary=_("Resolve with the outcome"),
        request=ResolveSerializer,
        responses={200: AssignmentSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def resolve(self, request, pk=None):
        assignment = self.get_object()
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.assignment_resolve(
            actor=request.user, assignment=assignment, **body.validated_data
        )
        return Response(self.get_serializer(row).data)
