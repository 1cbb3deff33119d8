"""The REST face of organization life: shapes only. Rules live in the models and services."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import PartyMember
from organizations.scoped import ScopedModelSerializer, ScopedSlugRelatedField

from ..choices import CheckInChannel
from ..models import (
    DuesDeclaration,
    DuesHandover,
    DuesPayment,
    Election,
    Evaluation,
    Meeting,
    MeetingPhoto,
    Participation,
)


def _member_field(**kwargs):
    return ScopedSlugRelatedField(
        slug_field="member_id",
        queryset=PartyMember.objects.all(),
        label=_("party member (roster id)"),
        **kwargs,
    )


class MeetingSerializer(ScopedModelSerializer):
    present = serializers.IntegerField(read_only=True, default=0, label=_("present"))

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "kind",
            "title",
            "status",
            "starts_at",
            "ends_at",
            "place_kind",
            "station",
            "address",
            "online_url",
            "plan",
            "notice",
            "minutes",
            "resolutions",
            "party_lesson",
            "present",
        ]


class MeetingPhotoSerializer(serializers.ModelSerializer):
    """A meeting photo; ``url`` is the portal's scoped view of it (signed-in staff only)."""

    url = serializers.SerializerMethodField(label=_("address"))

    class Meta:
        model = MeetingPhoto
        fields = ["id", "content_type", "width", "height", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, photo: MeetingPhoto) -> str:
        path = reverse("branchlife:meeting-photo", args=[photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class MeetingDetailSerializer(MeetingSerializer):
    """One meeting with its photos (those in the reader's scope)."""

    photos = serializers.SerializerMethodField(label=_("photos"))

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "photos"]

    @extend_schema_field(MeetingPhotoSerializer(many=True))
    def get_photos(self, meeting: Meeting) -> list[dict]:
        from .. import selectors

        request = self.context.get("request")
        photos = selectors.meeting_photos_for(getattr(request, "user", None), meeting=meeting)
        return MeetingPhotoSerializer(photos, many=True, context=self.context).data


class PhotoUploadSerializer(serializers.Serializer):
    photo = serializers.FileField(
        label=_("photo"), help_text=_("A JPEG, PNG or WebP photo (multipart form field).")
    )


class MeetingBriefSerializer(serializers.ModelSerializer):
    """A meeting as a member's app shows it."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True, default="")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "organization_name",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place_kind",
            "station",
            "station_name",
            "address",
            "online_url",
            "notice",
        ]
        read_only_fields = fields


class MemberReference(serializers.Serializer):
    """A member by roster id; resolved by the service against the meeting (not here)."""

    member = serializers.CharField(max_length=64, label=_("party member (roster id)"))


class CheckInSerializer(MemberReference):
    code = serializers.CharField(max_length=12, label=_("check-in code"))
    channel = serializers.CharField(
        default=CheckInChannel.PARTNER_APP, label=_("channel"), help_text="partner_app | qr_code"
    )
    at = serializers.DateTimeField(required=False, label=_("time"))

    def validate_channel(self, value: str) -> str:
        if value not in (CheckInChannel.PARTNER_APP, CheckInChannel.QR_CODE):
            raise serializers.ValidationError(_gettext("Choose partner_app or qr_code."))
        return value


class LeaveSerializer(MemberReference):
    reason = serializers.CharField(max_length=200, label=_("reason for leave"))


class HoldSerializer(serializers.Serializer):
    minutes = serializers.CharField(label=_("minutes"))
    resolutions = serializers.CharField(required=False, allow_blank=True, label=_("resolutions"))


class ParticipationSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.member_id", read_only=True)
    channel = serializers.CharField(read_only=True, help_text="portal | partner_app | qr_code")

    class Meta:
        model = Participation
        fields = ["id", "meeting", "member", "status", "leave_reason", "checked_in_at", "channel"]
        read_only_fields = fields


class EvaluationSerializer(ScopedModelSerializer):
    member = _member_field()

    class Meta:
        model = Evaluation
        fields = ["id", "member", "organization", "year", "rating", "meeting", "note"]


class DuesDeclarationSerializer(ScopedModelSerializer):
    member = _member_field()

    class Meta:
        model = DuesDeclaration
        fields = [
            "id",
            "member",
            "year",
            "category",
            "monthly_income",
            "monthly_standard",
            "declared_on",
        ]
        read_only_fields = ["monthly_standard"]
        extra_kwargs = {"declared_on": {"required": False}}


class DuesPaymentSerializer(ScopedModelSerializer):
    member = _member_field()
    months = serializers.ListField(
        child=serializers.RegexField(
            r"^\d{4}-(0[1-9]|1[0-2])$", error_messages={"invalid": _("Give a month as YYYY-MM.")}
        ),
        allow_empty=False,
        max_length=24,
        write_only=True,
        label=_("months covered"),
        help_text=_("Months as YYYY-MM."),
    )
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, label=_("amount")
    )

    class Meta:
        model = DuesPayment
        fields = [
            "id",
            "member",
            "organization",
            "amount",
            "months",
            "channel",
            "receipt_number",
            "paid_on",
            "below_standard",
        ]
        read_only_fields = ["organization", "below_standard"]
        extra_kwargs = {"paid_on": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["months"] = [f"{m.month:%Y-%m}" for m in instance.months.all()]
        return data

    def validate_months(self, value):
        return [dt.date(int(v[:4]), int(v[5:7]), 1) for v in value]


class DuesHandoverSerializer(ScopedModelSerializer):
    class Meta:
        model = DuesHandover
        fields = [
            "id",
            "organization",
            "to_organization",
            "month",
            "amount",
            "handed_on",
            "receipt_number",
        ]
        extra_kwargs = {"to_organization": {"required": False}}


class ElectionSerializer(ScopedModelSerializer):
    class Meta:
        model = Election
        fields = [
            "id",
            "organization",
            "held_on",
            "committee",
            "secretary_name",
            "term_ends_on",
            "note",
        ]
