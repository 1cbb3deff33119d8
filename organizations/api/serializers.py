"""The REST face of organizations: shapes only. Rules live in the models and services.

Related fields are scoped by :class:`~organizations.scoped.ScopedModelSerializer`: pointing at
an object outside the caller's scope is a field-level "does not exist" error.
"""

import functools

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from core.api.fastlist import PerRequest
from core.api.fields import code_field
from core.identity import normalize_uscc, uscc_warning_texts

from ..choices import CoverageMode
from ..models import (
    Department,
    Enterprise,
    Industry,
    Instructor,
    InstructorAssignment,
    PartyOrganization,
    Region,
    uscc_warnings_of,
)
from ..scoped import ScopedModelSerializer


def _uscc_warnings_column():
    """An enterprise list's warnings column: the texts looked up once per page."""
    return functools.partial(uscc_warnings_of, texts=uscc_warning_texts())


class USCCField(serializers.CharField):
    """A unified social credit code, normalized (upper case, no spaces) before validation.

    The checksum is checked by the model, so a bad code answers with ``fields.uscc``.
    """

    def to_internal_value(self, data):
        return normalize_uscc(super().to_internal_value(data))


# --- reference data ------------------------------------------------------------------------


class RegionSerializer(ScopedModelSerializer):
    """An administrative division or management zone; parent and zone by code."""

    parent = serializers.SlugRelatedField(
        slug_field="code", read_only=True, label=_("parent region (code)")
    )
    managed_by = serializers.SlugRelatedField(
        slug_field="code", read_only=True, label=_("management zone (code)")
    )

    class Meta:
        model = Region
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "parent",
            "managed_by",
            "path",
            "depth",
        ]
        read_only_fields = fields


class DepartmentSerializer(ScopedModelSerializer):
    """A member unit of the task force."""

    class Meta:
        model = Department
        fields = ["id", "code", "name", "short_name"]
        read_only_fields = fields


class IndustrySerializer(ScopedModelSerializer):
    """A sector and its competent department (by code)."""

    department = serializers.SlugRelatedField(
        slug_field="code", read_only=True, label=_("competent department (code)")
    )

    class Meta:
        model = Industry
        fields = ["id", "code", "name", "department", "sort_order"]
        read_only_fields = fields


# --- party organizations ---------------------------------------------------------------------


class PartyOrganizationSerializer(ScopedModelSerializer):
    """A node of the party-organization tree: parent by id, industry and region by code."""

    parent = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.all(),
        allow_null=True,
        required=False,
        label=_("parent organization"),
    )
    parent_code = serializers.CharField(
        source="parent.code",
        read_only=True,
        allow_null=True,
        label=_("parent organization (code)"),
    )
    industry = code_field(Industry, _("industry (code)"), optional=True)
    region = code_field(Region, _("region (code)"), optional=True)

    class Meta:
        model = PartyOrganization
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "basis",
            "parent",
            "parent_code",
            "path",
            "depth",
            "industry",
            "region",
            "host_enterprise",
            "secretary_name",
            "founded_on",
            "term_ends_on",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "path", "depth", "created_at", "updated_at"]


# --- enterprises -----------------------------------------------------------------------------


class EnterpriseSerializer(ScopedModelSerializer):
    """An enterprise: industry and region by code, platform and organization by id."""

    uscc = USCCField(
        max_length=18,
        label=_("unified social credit code"),
        validators=[
            UniqueValidator(
                queryset=Enterprise.objects.all(),
                message=_("An enterprise with this unified social credit code already exists."),
            )
        ],
    )
    industry = serializers.SlugRelatedField(
        slug_field="code", queryset=Industry.objects.all(), label=_("industry (code)")
    )
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), label=_("region (code)")
    )
    coverage_mode = serializers.ChoiceField(
        choices=CoverageMode.choices,
        read_only=True,
        label=_("coverage"),
        help_text=_("Derived from the covering organization and the work-coverage links."),
    )
    uscc_warnings = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        label=_("USCC warnings"),
        help_text=_("Doubts about the code that do not block saving (e.g. an unknown region)."),
    )

    #: The list's rows from ``.values()`` (``core.api.fastlist``): computed fields.
    values_columns = {"uscc_warnings": ("uscc", PerRequest(_uscc_warnings_column))}

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "uscc_warnings",
            "name",
            "kind",
            "platform",
            "industry",
            "region",
            "address",
            "contact_name",
            "contact_phone",
            "worker_count",
            "party_organization",
            "has_liaison",
            "has_union_or_league",
            "status",
            "coverage_mode",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "coverage_mode", "created_at", "updated_at"]


# --- instructors -----------------------------------------------------------------------------


class InstructorSerializer(ScopedModelSerializer):
    """A party-building instructor: sending department by code, organization by id."""

    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        allow_null=True,
        required=False,
        label=_("sending department (code)"),
    )
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, label=_("managing organization (name)")
    )

    class Meta:
        model = Instructor
        fields = ["id", "name", "department", "organization", "organization_name", "active"]
        read_only_fields = ["id"]


class InstructorAssignmentSerializer(ScopedModelSerializer):
    """An instructor sent to an enterprise; open while ``ended_on`` is empty."""

    instructor_name = serializers.CharField(
        source="instructor.name", read_only=True, label=_("instructor (name)")
    )
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, label=_("enterprise (name)")
    )

    class Meta:
        model = InstructorAssignment
        fields = [
            "id",
            "instructor",
            "instructor_name",
            "enterprise",
            "enterprise_name",
            "started_on",
            "ended_on",
        ]
        read_only_fields = ["id"]
        # The one-open-assignment rule is a conditional constraint: the model reports it.
        validators = []
