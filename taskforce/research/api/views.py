"""The REST face of the field research: ``/api/v1/research-campaigns/`` (campaigns, with their
figures on the detail) and ``/api/v1/research-demands/`` (the office's CRUD and the decisions:
``POST .../to-appeal/``, ``.../attach-measure/``, ``.../policy-input/``)."""

from __future__ import annotations

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.permissions import has_perm
from organizations.scoped import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceSet

from .. import selectors, services
from ..filtersets import DemandFilterSet
from ..models import Campaign, Demand
from .serializers import (
    AttachMeasureSerializer,
    CampaignSerializer,
    DemandSerializer,
    OutputInSerializer,
    OutputSerializer,
    PolicySerializer,
)

TAG = ["research"]


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List research campaigns")),
    retrieve=extend_schema(tags=TAG, summary=_("Show a campaign with its figures")),
)
class CampaignViewSet(ScopedReadOnlyViewSet):
    queryset = Campaign.objects.order_by("-starts_on", "-id")
    serializer_class = CampaignSerializer

    def retrieve(self, request, *args, **kwargs):
        campaign = self.get_object()
        data = CampaignSerializer(campaign).data
        data["figures"] = asdict(selectors.campaign_figures(request.user, campaign))
        return Response(data)

    @extend_schema(
        tags=TAG,
        summary=_("Register an output (a file or a link) of a campaign"),
        request={"multipart/form-data": OutputInSerializer},
        responses={201: OutputSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[has_perm("taskforce.add_researchoutput")],
    )
    def outputs(self, request, pk=None):
        campaign = self.get_object()
        body = OutputInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        output = services.output_attach(
            actor=request.user,
            campaign=campaign,
            kind=data["kind"],
            title=data["title"],
            issued_on=data.get("issued_on"),
            note=data.get("note", ""),
            upload=data.get("file"),
            link=data.get("link", ""),
        )
        return Response(OutputSerializer(output).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG,
        summary=_("Remove a campaign's output and its file"),
        description=_("To replace a file: remove the output, then register the new one."),
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"outputs/(?P<output_pk>[0-9]+)",
        permission_classes=[has_perm("taskforce.delete_researchoutput")],
    )
    def remove_output(self, request, pk=None, output_pk=None):
        campaign = self.get_object()
        outputs = selectors.outputs_for(request.user).filter(campaign=campaign)
        output = get_object_or_404(outputs, pk=output_pk)
        services.output_delete(actor=request.user, output=output)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List research demands")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one demand")),
    create=extend_schema(tags=TAG, summary=_("Record a demand")),
    update=extend_schema(tags=TAG, summary=_("Replace a demand")),
    partial_update=extend_schema(tags=TAG, summary=_("Change a demand")),
    destroy=extend_schema(tags=TAG, summary=_("Delete a demand")),
)
class DemandViewSet(ScopedModelViewSet):
    queryset = Demand.objects.select_related("appeal").order_by("campaign", "id")
    serializer_class = DemandSerializer
    filterset_class = DemandFilterSet
    services = ServiceSet.of(services, "demand")

    def _answer(self, demand):
        return Response(self.get_serializer(demand).data)

    @extend_schema(tags=TAG, summary=_("Turn a demand into an appeal"), request=None)
    @action(detail=True, methods=["post"], url_path="to-appeal", filterset_class=None)
    def to_appeal(self, request, pk=None):
        return self._answer(services.demand_to_appeal(actor=request.user, demand=self.get_object()))

    @extend_schema(
        tags=TAG, summary=_("Attach a demand to a measure"), request=AttachMeasureSerializer
    )
    @action(detail=True, methods=["post"], url_path="attach-measure", filterset_class=None)
    def attach_measure(self, request, pk=None):
        demand = self.get_object()
        body = AttachMeasureSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        return self._answer(
            services.demand_attach_measure(
                actor=request.user, demand=demand, measure=body.validated_data["measure"]
            )
        )

    @extend_schema(tags=TAG, summary=_("Mark a demand as policy input"), request=PolicySerializer)
    @action(detail=True, methods=["post"], url_path="policy-input", filterset_class=None)
    def policy_input(self, request, pk=None):
        demand = self.get_object()
        body = PolicySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.demand_mark_policy(
                actor=request.user, demand=demand, policy_note=body.validated_data["policy_note"]
            )
        )
