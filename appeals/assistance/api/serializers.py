"""Serializers of the assistance API (:mod:`appeals.assistance.api.views`)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import code_field
from members.models import PartyMember, Worker
from organizations.models import PartyOrganization
from organizations.scoped import ScopedModelSerializer

from .. import selectors, services
from ..choices import DisbursementStatus
from ..models import AssistanceFund, Disbursement, FundInKindItem


def funds_queryset():
    given = Q(disbursements__status=DisbursementStatus.DISBURSED)
    items = FundInKindItem.objects.annotate(
        given=Coalesce(Sum("disbursements__quantity", filter=given), 0),
        n=Count("disbursements", filter=given),
    ).order_by("name", "id")
    return selectors.with_totals(
        AssistanceFund.objects.select_related("owner_organization")
    ).prefetch_related(Prefetch("items", queryset=items))


class FundItemSerializer(serializers.ModelSerializer):
    given = serializers.IntegerField(read_only=True, label=_("quantity given"))

    class Meta:
        model = FundInKindItem
        fields = ["id", "name", "unit", "quantity_budget", "given"]


class AssistanceFundSerializer(ScopedModelSerializer):
    """A fund with its totals (cancelled disbursements excluded)."""

    owner_organization = code_field(PartyOrganization, _("owner organization (code)"))
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
            instance = funds_queryset().get(pk=instance.pk)
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
