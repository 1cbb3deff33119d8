"""The REST face of workers, members, letters, proposals and cases: shapes only.

Resident IDs and phones go in through write-only ``id_number``/``phone`` and come out only
masked (``id_number_masked``/``phone_masked``); birth date and gender are derived. Partner
systems may send a worker's political status but never read it back.
"""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fastlist import PerRequest
from core.api.fields import MaskedField, ProtectedInputMixin, code_field, protected_input
from core.identity import resident_id_warning_texts
from organizations.models import Industry, Region
from organizations.scoped import ScopedModelSerializer

from ..models import Case, CaseEvent, MatchProposal, PartyMember, TransferLetter, Worker
from ..models.people import id_number_warnings_of
from ..selectors import can_see_political_status


def _warnings_column():
    """A list's ID-number warnings column: the text looked up once per page."""
    return functools.partial(id_number_warnings_of, texts=resident_id_warning_texts())


class PersonSerializerMixin(ProtectedInputMixin):
    #: The list's rows from ``.values()`` (``core.api.fastlist``): computed fields.
    values_columns = {"id_number_warnings": ("id_number", PerRequest(_warnings_column))}

    id_number = protected_input(_("resident ID number"))
    id_number_masked = MaskedField("id_number", label=_("resident ID number (masked)"))
    id_number_warnings = serializers.ListField(
        child=serializers.CharField(), read_only=True, label=_("ID number warnings")
    )
    phone = protected_input(_("phone"))
    phone_masked = MaskedField("phone", label=_("phone (masked)"))

    PERSON_FIELDS = [
        "name",
        "name_pinyin",
        "id_number",
        "id_number_masked",
        "id_number_warnings",
        "phone",
        "phone_masked",
        "gender",
        "birth_date",
    ]
    PERSON_READ_ONLY = ["name_pinyin", "gender", "birth_date"]


class WorkerSerializer(PersonSerializerMixin, ScopedModelSerializer):
    """A worker of the new employment groups; industry and region by code."""

    industry = code_field(Industry, _("industry (code)"), optional=True)
    region = code_field(Region, _("work region (code)"), optional=True)

    class Meta:
        model = Worker
        fields = [
            "id",
            "source",
            "source_kind",
            "external_id",
            *PersonSerializerMixin.PERSON_FIELDS,
            "industry",
            "enterprise",
            "platform",
            "region",
            "work_lat",
            "work_lng",
            "political_status",
            "active",
            "first_seen",
            "last_seen",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            *PersonSerializerMixin.PERSON_READ_ONLY,
            "created_at",
            "updated_at",
        ]

    @staticmethod
    def values_variant(request) -> bool:
        """What ``get_fields`` depends on, for the list's cached plan (``core.api.fastlist``)."""
        return can_see_political_status(getattr(request, "user", None))

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if not can_see_political_status(getattr(request, "user", None)):
            # A partner sends it with its roster but never reads it back.
            fields["political_status"].write_only = True
        return fields


class PartyMemberSerializer(PersonSerializerMixin, ScopedModelSerializer):
    """A party member with the mobile-member fields; the status moves through the actions
    ``suspend``, ``restore`` and ``make-full``."""

    region = code_field(Region, _("region (code)"), optional=True)
    industry = code_field(Industry, _("industry (code)"), optional=True)
    letter_status = serializers.SerializerMethodField(label=_("latest transfer letter"))

    values_columns = {
        **PersonSerializerMixin.values_columns,
        "letter_status": ("latest_letter_status", None),
    }
    #: ``get_fields`` only locks ``status`` for one member, never for a list.
    values_safe_get_fields = True

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "member_id",
            *PersonSerializerMixin.PERSON_FIELDS,
            "status",
            "joined_on",
            "probation_due",
            "organization",
            "home_organization_name",
            "host_organization",
            "region",
            "industry",
            "is_mobile",
            "lost_contact_since",
            "activity_card_number",
            "activity_card_issued_on",
            "activity_card_reviewed_on",
            "letter_status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            *PersonSerializerMixin.PERSON_READ_ONLY,
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # Set on entry; afterwards only through the status actions.
            fields["status"].read_only = True
        return fields

    def get_letter_status(self, obj) -> str | None:
        # Annotated by the view (one subquery, no query per row).
        return getattr(obj, "latest_letter_status", None)


class TransferLetterSerializer(ScopedModelSerializer):
    """A transfer letter; it is issued, received and returned through its actions."""

    member_name = serializers.CharField(source="member.name", read_only=True, label=_("member"))

    class Meta:
        model = TransferLetter
        fields = [
            "id",
            "member",
            "member_name",
            "from_organization_name",
            "to_organization",
            "to_organization_name",
            "status",
            "letter_number",
            "issued_on",
            "valid_until",
            "closed_on",
            "note",
            "created_at",
        ]
        read_only_fields = ["id", "status", "issued_on", "valid_until", "closed_on", "created_at"]


class LetterIssueSerializer(serializers.Serializer):
    valid_until = serializers.DateField(label=_("valid until"))
    issued_on = serializers.DateField(label=_("issued on"), required=False)
    letter_number = serializers.CharField(
        label=_("letter number"), required=False, max_length=32, allow_blank=True
    )


class LetterReturnSerializer(serializers.Serializer):
    note = serializers.CharField(label=_("note"), required=False, max_length=200, allow_blank=True)


class _PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    id_number_masked = MaskedField("id_number", label=_("resident ID number (masked)"))
    phone_masked = MaskedField("phone", label=_("phone (masked)"))


class MatchProposalSerializer(serializers.ModelSerializer):
    """A proposed or decided match, with masked identities on both sides."""

    worker = _PersonRefSerializer(read_only=True)
    member = _PersonRefSerializer(read_only=True)

    class Meta:
        model = MatchProposal
        fields = [
            "id",
            "worker",
            "member",
            "rule",
            "score",
            "evidence",
            "status",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["from_status", "to_status", "actor_label", "at", "note"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    """A found-member case and its history."""

    worker = _PersonRefSerializer(read_only=True)
    member = _PersonRefSerializer(read_only=True)
    owner = serializers.CharField(source="owner.get_username", read_only=True, default=None)
    events = CaseEventSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "origin",
            "status",
            "worker",
            "member",
            "organization",
            "region",
            "industry",
            "owner",
            "due_on",
            "created_at",
            "updated_at",
            "closed_at",
            "events",
        ]
        read_only_fields = fields
