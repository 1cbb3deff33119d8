"""The REST face of appeals: shapes only. Rules live in the models and services."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core import pii
from core.api.fields import code_field
from members.models import Worker
from organizations.models import Enterprise, Industry, PartyOrganization, Region
from organizations.scoped import ScopedSerializerMixin

from ..choices import Channel, Urgency
from ..models import Appeal, AppealEvent, Category, PolicyMeasure


class AppealSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """An appeal as partners and staff read it; the contact phone is masked, the state fields
    are moved only by the action endpoints."""

    category = code_field(
        Category, _("category (code)"), queryset=Category.objects.filter(active=True)
    )
    region = code_field(Region, _("region (code)"), optional=True)
    industry = code_field(Industry, _("industry (code)"), optional=True)
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True
    )
    submitter = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.all(), required=False, allow_null=True, label=_("submitter")
    )
    policy_measure = serializers.SlugRelatedField(
        slug_field="number",
        queryset=PolicyMeasure.objects.filter(active=True),
        required=False,
        allow_null=True,
        label=_("policy measure (number)"),
    )
    contact_phone = serializers.CharField(
        write_only=True, required=False, allow_blank=True, label=_("contact phone")
    )
    contact_phone_masked = serializers.SerializerMethodField(label=_("contact phone (masked)"))
    assigned_organization_name = serializers.CharField(
        source="assigned_organization.name", read_only=True, default=None
    )
    overdue = serializers.SerializerMethodField(label=_("overdue"))

    class Meta:
        model = Appeal
        fields = [
            "id",
            "reference",
            "external_id",
            "status",
            "level",
            "channel",
            "category",
            "urgency",
            "description",
            "location",
            "latitude",
            "longitude",
            "region",
            "industry",
            "enterprise",
            "enterprise_name",
            "platform",
            "policy_measure",
            "submitter",
            "anonymous",
            "contact_name",
            "contact_phone",
            "contact_phone_masked",
            "assigned_organization",
            "assigned_organization_name",
            "due_at",
            "expected_at",
            "overdue",
            "extended",
            "escalations",
            "reply",
            "satisfaction",
            "duplicate_of",
            "received_at",
            "replied_at",
            "closed_at",
            "visited_at",
        ]
        read_only_fields = [
            "reference",
            "status",
            "level",
            "platform",
            "assigned_organization",
            "due_at",
            "expected_at",
            "extended",
            "escalations",
            "reply",
            "satisfaction",
            "duplicate_of",
            "received_at",
            "replied_at",
            "closed_at",
            "visited_at",
        ]
        extra_kwargs = {"channel": {"default": Channel.APP}, "urgency": {"default": Urgency.NORMAL}}

    def get_contact_phone_masked(self, obj) -> str:
        return pii.display(obj, "contact_phone")

    def get_overdue(self, obj) -> bool:
        now = self.context.setdefault("_now", timezone.now())
        return obj.is_overdue(now)


class AppealEventSerializer(serializers.ModelSerializer):
    appeal_reference = serializers.CharField(source="appeal.reference", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=None
    )

    class Meta:
        model = AppealEvent
        fields = [
            "id",
            "appeal",
            "appeal_reference",
            "kind",
            "actor_label",
            "at",
            "from_status",
            "to_status",
            "from_level",
            "to_level",
            "organization",
            "organization_name",
            "note",
            "score",
        ]
        read_only_fields = fields


# --- action bodies -----------------------------------------------------------------------------


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("note"))


class DispatchSerializer(ScopedSerializerMixin, NoteSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.all(), label=_("organization")
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("reason"))


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(label=_("reply"))


class VisitSerializer(NoteSerializer):
    score = serializers.IntegerField(min_value=1, max_value=5, label=_("satisfaction (1–5)"))


class MergeSerializer(ScopedSerializerMixin, NoteSerializer):
    into = serializers.PrimaryKeyRelatedField(
        queryset=Appeal.objects.all(), label=_("merge into (appeal id)")
    )
