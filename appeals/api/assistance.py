"""The REST face of the assistance funds: ``/api/v1/assistance-funds/`` (scoped CRUD, with
totals and in-kind items) and ``/api/v1/disbursements/`` (scoped list and detail, create and
cancel through the services; never changed or deleted).

Creates honour ``Idempotency-Key`` (:mod:`core.idempotency`): a retried POST with the same key
and body returns the first answer and gives nothing twice. Beneficiaries appear by masked name
only; no ID number or phone is ever part of these answers.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.idempotency import HEADER, idempotent_response
from members.models import PartyMember, Worker
from organizations.models import PartyOrganization
from organizations.scoped import ScopedModelSerializer, ScopedModelViewSet, ServiceSet

from .. import selectors_assistance as selectors
from ..choices_assistance import DisbursementStatus
from ..filtersets_assistance import AssistanceFundFilterSet, DisbursementFilterSet
from ..models.assistance import AssistanceFund, Disbursement, FundInKindItem
from ..services import assistance as services

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


# --- serializers -------------------------------------------------------------------------------


class FundItemSerializer(serializers.ModelSerializer):
    given = serializers.IntegerField(read_only=True, label=_("quantity given"))

    class Meta:
        model = FundInKindItem
        fields = ["id", "name", "unit", "quantity_budget", "given"]


class AssistanceFundSerializer(ScopedModelSerializer):
    """A fund with its totals (cancelled disbursements excluded)."""

    owner_organization = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PartyOrganization.objects.all(),
        label=_("owner organization (code)"),
    )
    disbursed = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, label=_("disbursed (yuan)")
    )
    remaining = serializers.SerializerMethodField(label=_("remaining (yuan)"))
    disbursement_count = serializers.IntegerField(read_only=True, label=_("disbursements"))
    beneficiary_count = serializers.IntegerField(read_only=True, label=_("beneficiaries"))
    items = FundItemSerializer(many=True, read_only=True, label=_("in-kind items"))

    class Meta:
        model = AssistanceFund
        fields = [
            "id",
            "name",
            "source",
            "year",
            "budget",
            "owner_organization",
            "status",
            "note",
            "disbursed",
            "remaining",
            "disbursement_count",
            "beneficiary_count",
            "items",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_remaining(self, obj) -> str:
        disbursed = getattr(obj, "disbursed", None)
        if disbursed is None:  # a fresh write: not annotated
            disbursed = services.fund_disbursed(obj)
        return f"{obj.budget - disbursed:.2f}"

    def to_representation(self, instance):
        if not hasattr(instance, "disbursed"):
            # After a write, answer with the same annotated shape as a read.
            instance = _funds_queryset().get(pk=instance.pk)
        return super().to_representation(instance)


class DisbursementSerializer(ScopedModelSerializer):
    """One disbursement. Give ``worker`` or ``member`` (ids), and ``amount`` or ``item`` and
    ``quantity``. The approver is the caller."""

    fund = serializers.PrimaryKeyRelatedField(
        queryset=AssistanceFund.objects.all(), label=_("fund")
    )
    worker = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.all(), required=False, allow_null=True, label=_("worker")
    )
    member = serializers.PrimaryKeyRelatedField(
        queryset=PartyMember.objects.all(), required=False, allow_null=True, label=_("member")
    )
    item = serializers.PrimaryKeyRelatedField(
        queryset=FundInKindItem.objects.all(),
        required=False,
        allow_null=True,
        label=_("in-kind item"),
    )
    beneficiary = serializers.SerializerMethodField(label=_("beneficiary (masked name)"))
    appeal_reference = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=32,
        label=_("appeal reference"),
        help_text=_("The reference number of the appeal this aid answers, if any."),
    )
    approver = serializers.SlugRelatedField(slug_field="username", read_only=True)
    cancelled_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "fund",
            "worker",
            "member",
            "beneficiary",
            "amount",
            "item",
            "quantity",
            "purpose",
            "approver",
            "disbursed_on",
            "note",
            "appeal_reference",
            "status",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = ["status", "cancelled_at", "cancel_reason", "created_at"]
        # The model's own constraints are checked by the service, with field errors.
        validators: list = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["appeal_reference"] = instance.appeal.reference if instance.appeal_id else ""
        return data

    def get_beneficiary(self, obj) -> str:
        return selectors.masked_name(obj.beneficiary)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=_("reason for cancelling"))


# --- views -------------------------------------------------------------------------------------


def _funds_queryset():
    given = Q(disbursements__status=DisbursementStatus.DISBURSED)
    items = FundInKindItem.objects.annotate(
        given=Coalesce(Sum("disbursements__quantity", filter=given), 0),
        n=Count("disbursements", filter=given),
    ).order_by("name", "id")
    return selectors.with_totals(
        AssistanceFund.objects.select_related("owner_organization")
    ).prefetch_related(Prefetch("items", queryset=items))


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

    queryset = _funds_queryset()
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
