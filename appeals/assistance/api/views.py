"""The REST face of the assistance funds: ``/api/v1/assistance-funds/`` (scoped CRUD, with
totals and in-kind items) and ``/api/v1/disbursements/`` (scoped list and detail, create and
cancel through the services; never changed or deleted).

Creates honour ``Idempotency-Key`` (:mod:`core.idempotency`): a retried POST with the same key
and body returns the first answer and gives nothing twice. Beneficiaries appear by masked name
only; no ID number or phone is ever part of these answers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.idempotency import HEADER, idempotent_response
from organizations.scoped import ScopedModelViewSet, ServiceSet

from .. import services
from ..filtersets import AssistanceFundFilterSet, DisbursementFilterSet
from ..models import Disbursement
from .serializers import (
    AssistanceFundSerializer,
    CancelSerializer,
    DisbursementSerializer,
    funds_queryset,
)

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Any unique string up to 255 characters, one per request: a retry with the same key "
        "and body returns the stored answer and writes nothing."
    ),
)


class IdempotentCreateMixin:
    idempotency_endpoint = ""

    def create(self, request, *args, **kwargs):
        parent = super()
        return idempotent_response(
            request,
            endpoint=self.idempotency_endpoint,
            handler=lambda: parent.create(request, *args, **kwargs),
        )


@extend_schema_view(
    list=extend_schema(tags=["assistance"], summary=_("List assistance funds")),
    retrieve=extend_schema(tags=["assistance"], summary=_("Show one assistance fund")),
    create=extend_schema(
        tags=["assistance"],
        summary=_("Create an assistance fund"),
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
    update=extend_schema(tags=["assistance"], summary=_("Replace an assistance fund")),
    partial_update=extend_schema(tags=["assistance"], summary=_("Change an assistance fund")),
    destroy=extend_schema(
        tags=["assistance"], summary=_("Delete an assistance fund that has given nothing")
    ),
)
class AssistanceFundViewSet(IdempotentCreateMixin, ScopedModelViewSet):
    """Funds within your scope, with what they have given and what remains. The budget cannot
    be lowered below what is disbursed."""

    queryset = funds_queryset()
    serializer_class = AssistanceFundSerializer
    filterset_class = AssistanceFundFilterSet
    services = ServiceSet.of(services, "fund")
    idempotency_endpoint = "appeals.assistance-funds-create"

    def get_queryset(self):
        return super().get_queryset().order_by("-id")


@extend_schema_view(
    list=extend_schema(tags=["assistance"], summary=_("List disbursements")),
    retrieve=extend_schema(tags=["assistance"], summary=_("Show one disbursement")),
    create=extend_schema(
        tags=["assistance"],
        summary=_("Make a disbursement"),
        description=_(
            "Money (`amount`) or an in-kind quantity (`item`, `quantity`) from a fund to one "
            "worker or party member. Refused with a field error (400) when it would exceed "
            "what remains of the fund or the item, also under concurrent requests."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
)
class DisbursementViewSet(IdempotentCreateMixin, ScopedModelViewSet):
    """Disbursements of the funds within your scope. They are never changed or deleted; a
    mistake is cancelled with a reason (``POST .../cancel/``), which releases its amount."""

    queryset = Disbursement.objects.select_related(
        "fund", "worker", "member", "item", "approver", "cancelled_by", "appeal"
    )
    serializer_class = DisbursementSerializer
    filterset_class = DisbursementFilterSet
    services = ServiceSet.of(services, "disbursement")
    http_method_names = ["get", "post", "head", "options"]
    idempotency_endpoint = "appeals.disbursements-create"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["approver"] = self.request.user
        serializer.instance = services.disbursement_create(actor=self.request.user, data=data)

    @extend_schema(
        tags=["assistance"],
        summary=_("Cancel a disbursement"),
        request=CancelSerializer,
        responses={200: DisbursementSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, pk=None):
        disbursement = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        disbursement = services.disbursement_cancel(
            actor=request.user, disbursement=disbursement, reason=body.validated_data["reason"]
        )
        return Response(self.get_serializer(disbursement).data, status=status.HTTP_200_OK)
