"""Serializers of the task force API (:mod:`taskforce.api.views`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from organizations.models import Department
from organizations.scoped import ScopedModelSerializer

from ..models import Decision, Meeting, MeetingDocument, Task, TaskReport


@extend_schema_serializer(component_name="TaskForceMeeting")
class MeetingSerializer(ScopedModelSerializer):
    attending_units = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        queryset=Department.objects.all(),
        label=_("attending units (codes)"),
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "held_on",
            "place",
            "chaired_by",
            "attending_units",
            "attendees",
            "minutes",
            "created_at",
        ]
        read_only_fields = ["created_at"]


@extend_schema_serializer(component_name="TaskForceTask")
class TaskSerializer(ScopedModelSerializer):
    unit = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), label=_("responsible unit (code)")
    )
    decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.all(), required=False, allow_null=True, label=_("decision")
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "decision",
            "title",
            "detail",
            "unit",
            "due_on",
            "status",
            "progress",
            "completed_on",
            "due_at",
            "escalate_at",
            "escalated_at",
            "created_at",
        ]
        read_only_fields = [
            "progress",
            "due_at",
            "escalate_at",
            "escalated_at",
            "created_at",
        ]


class TaskReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskReport
        fields = ["id", "task", "reported_on", "progress", "text", "reported_by", "created_at"]
        read_only_fields = ["task", "reported_by", "created_at"]
        extra_kwargs = {"reported_on": {"required": False}}


class DecisionAssignSerializer(serializers.Serializer):
    """A decision of the meeting and the units it is given to (one task each)."""

    text = serializers.CharField(label=_("decision"))
    units = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        queryset=Department.objects.all(),
        label=_("responsible units (codes)"),
    )
    due_on = serializers.DateField(label=_("due on"))


class AttachmentInSerializer(serializers.Serializer):
    """A document sent as ``multipart/form-data``: a file (checked by its bytes: PDF, DOCX,
    XLSX, JPEG, PNG, at most 20 MB) or a link, not both."""

    title = serializers.CharField(label=_("title"), max_length=200)
    file = serializers.FileField(label=_("file"), required=False, allow_empty_file=True)
    link = serializers.URLField(label=_("link to the file"), required=False, allow_blank=True)


class MeetingDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingDocument
        fields = ["id", "meeting", "title", "file_name", "content_type", "link"]
        read_only_fields = fields  # an answer only; the upload is AttachmentInSerializer
