"""The REST face of training: shapes only. Rules live in the models and services."""

from __future__ import annotations

from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import code_field
from members.models import Worker
from members.selectors import worker_by_reference
from organizations.models import Industry, Region
from organizations.scoped import ScopedModelSerializer, ScopedPrimaryKeyRelatedField

from .. import selectors
from ..choices import AttendanceChannel
from ..models import (
    Attendance,
    Course,
    EducationSite,
    LearningResource,
    Lecturer,
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
    ResourcePack,
    ResourceProgress,
    Session,
    TrainingClass,
)
from ..services import UNKNOWN_WORKER


def _region_field(**kwargs):
    return code_field(Region, _("region (code)"), **kwargs)


def _industries_field(**kwargs):
    return code_field(Industry, _("industries (codes)"), many=True, required=False, **kwargs)


class LecturerSerializer(ScopedModelSerializer):
    class Meta:
        model = Lecturer
        fields = ["id", "name", "kind", "department", "title", "bio", "active"]


class CourseSerializer(ScopedModelSerializer):
    industries = _industries_field()

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "topic",
            "format",
            "hours",
            "description",
            "lecturers",
            "industries",
            "active",
        ]
        extra_kwargs = {"lecturers": {"required": False}}


class EducationSiteSerializer(ScopedModelSerializer):
    region = _region_field()

    class Meta:
        model = EducationSite
        fields = ["id", "name", "kind", "region", "address", "vr_url", "description", "active"]


class LearningResourceSerializer(ScopedModelSerializer):
    class Meta:
        model = LearningResource
        fields = ["id", "pack", "title", "kind", "url", "minutes", "sort_order"]


class ResourcePackSerializer(ScopedModelSerializer):
    items = LearningResourceSerializer(many=True, read_only=True)

    class Meta:
        model = ResourcePack
        fields = ["id", "title", "topic", "description", "active", "items"]


class TrainingClassSerializer(ScopedModelSerializer):
    """A class; ``enrolled``, ``session_count``, ``person_times`` and ``completed_count`` are
    derived."""

    region = _region_field(required=False, allow_null=True)
    industries = _industries_field()
    enrolled = serializers.IntegerField(read_only=True, label=_("enrolled"))
    completed_count = serializers.IntegerField(read_only=True, label=_("completed"))
    session_count = serializers.IntegerField(read_only=True, label=_("sessions"))
    person_times = serializers.IntegerField(read_only=True, label=_("person-times"))

    class Meta:
        model = TrainingClass
        fields = [
            "id",
            "name",
            "organizer",
            "region",
            "courses",
            "industries",
            "starts_on",
            "ends_on",
            "place",
            "online_url",
            "capacity",
            "status",
            "required_numerator",
            "required_denominator",
            "description",
            "enrolled",
            "completed_count",
            "session_count",
            "person_times",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"courses": {"required": False}}


class SessionSerializer(ScopedModelSerializer):
    """A session. ``check_in_code`` is issued by the portal and shown to the organizer's staff;
    ``attended`` is derived."""

    attended = serializers.IntegerField(read_only=True, label=_("attended"))

    class Meta:
        model = Session
        fields = [
            "id",
            "training_class",
            "course",
            "lecturer",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "hours",
            "check_in_code",
            "attended",
        ]
        read_only_fields = ["check_in_code"]
        extra_kwargs = {"hours": {"required": False}}


class WorkerReference(serializers.Serializer):
    """A worker by portal id, or by the roster's ``source`` and ``external_id`` (what a partner
    app knows), both resolved through the caller's scope: an unknown worker and an
    out-of-scope one get the same answer."""

    worker = ScopedPrimaryKeyRelatedField(
        queryset=Worker.objects.all(),
        required=False,
        label=_("worker (id)"),
        error_messages={"does_not_exist": UNKNOWN_WORKER, "incorrect_type": UNKNOWN_WORKER},
    )
    worker_source = serializers.CharField(
        required=False, max_length=64, write_only=True, label=_("worker's source roster")
    )
    worker_external_id = serializers.CharField(
        required=False, max_length=64, write_only=True, label=_("worker's id in the source")
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        source = attrs.pop("worker_source", "")
        external_id = attrs.pop("worker_external_id", "")
        if attrs.get("worker") is not None:
            return attrs
        if not (source and external_id):
            raise serializers.ValidationError(
                {"worker": _gettext("Give the worker's id, or its source and external id.")}
            )
        request = self.context.get("request")
        worker = worker_by_reference(
            user=getattr(request, "user", None), source=source, external_id=external_id
        )
        if worker is None:
            raise serializers.ValidationError({"worker": str(UNKNOWN_WORKER)})
        attrs["worker"] = worker
        return attrs


class SessionCheckInSerializer(WorkerReference):
    code = serializers.CharField(max_length=12, label=_("check-in code"))
    # A string checked here rather than an enum: the schema already has a "channel" enum of
    # the stations check-in with other labels, and the names would collide.
    channel = serializers.CharField(
        default=AttendanceChannel.PARTNER_APP,
        label=_("channel"),
        help_text="partner_app | qr",
    )
    at = serializers.DateTimeField(required=False, label=_("time"))

    def validate_channel(self, value: str) -> str:
        allowed = (AttendanceChannel.PARTNER_APP, AttendanceChannel.QR)
        if value not in allowed:
            raise serializers.ValidationError(_gettext("Choose partner_app or qr."))
        return value


class AttendanceSerializer(serializers.ModelSerializer):
    training_class = serializers.IntegerField(
        source="session.training_class_id", read_only=True, label=_("training class")
    )
    enrollment_completed = serializers.BooleanField(
        source="enrollment.completed", read_only=True, label=_("completed")
    )
    # A plain string in the schema: its three values would clash with the stations check-in
    # enum of the same field name (partner_app, qr).
    channel = serializers.CharField(
        read_only=True, label=_("channel"), help_text="partner_app | qr | portal"
    )

    class Meta:
        model = Attendance
        fields = [
            "id",
            "session",
            "training_class",
            "worker",
            "enrollment",
            "enrollment_completed",
            "checked_in_at",
            "channel",
        ]
        read_only_fields = fields


class EnrollmentSerializer(WorkerReference):
    """Enroll a worker: ``training_class`` and the worker (id, or its source roster and
    external id). Completion is derived from attendance and cannot be written."""

    id = serializers.IntegerField(read_only=True)
    training_class = serializers.PrimaryKeyRelatedField(
        queryset=TrainingClass.objects.none(), label=_("training class")
    )
    source = serializers.CharField(read_only=True, label=_("how enrolled"))
    enrolled_at = serializers.DateTimeField(read_only=True, label=_("enrolled at"))
    sessions_attended = serializers.IntegerField(read_only=True, label=_("sessions attended"))
    completed = serializers.BooleanField(read_only=True, label=_("completed"))
    completed_on = serializers.DateField(read_only=True, allow_null=True, label=_("completed on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["training_class"].queryset = selectors.enrollable_classes(user)

    def to_representation(self, instance):
        return {
            "id": instance.pk,
            "training_class": instance.training_class_id,
            "worker": instance.worker_id,
            "source": instance.source,
            "enrolled_at": serializers.DateTimeField().to_representation(instance.enrolled_at),
            "sessions_attended": instance.sessions_attended,
            "completed": instance.completed,
            "completed_on": instance.completed_on.isoformat() if instance.completed_on else None,
        }


class PartyLessonSerializer(ScopedModelSerializer):
    attendee_count = serializers.IntegerField(read_only=True, label=_("members recorded"))

    class Meta:
        model = PartyLesson
        fields = [
            "id",
            "organization",
            "title",
            "speaker_name",
            "given_on",
            "place",
            "course",
            "audience_count",
            "attendees",
            "attendee_count",
        ]
        extra_kwargs = {"attendees": {"required": False}}


class OutreachEventSerializer(ScopedModelSerializer):
    region = _region_field()
    industry = code_field(Industry, _("industry (code)"), optional=True)

    class Meta:
        model = OutreachEvent
        fields = [
            "id",
            "kind",
            "title",
            "organizer",
            "speaker_name",
            "lecturer",
            "industry",
            "region",
            "held_on",
            "place",
            "audience_count",
        ]


class PioneerDesignationSerializer(ScopedModelSerializer):
    class Meta:
        model = PioneerDesignation
        fields = [
            "id",
            "kind",
            "title",
            "holder",
            "organization",
            "unit",
            "plate",
            "platform",
            "account",
            "starts_on",
            "ends_on",
            "status",
        ]


class ResourceProgressSerializer(serializers.ModelSerializer):
    completed = serializers.SerializerMethodField(label=_("completed"))

    class Meta:
        model = ResourceProgress
        fields = [
            "id",
            "worker",
            "resource",
            "views",
            "first_viewed_at",
            "last_viewed_at",
            "completed_at",
            "completed",
        ]
        read_only_fields = fields

    def get_completed(self, obj) -> bool:
        return obj.completed_at is not None


class LearningRecordSerializer(serializers.Serializer):
    """A person's learning record (the shape of :class:`training.selectors.LearningRecord`)."""

    classes = serializers.IntegerField()
    classes_completed = serializers.IntegerField()
    sessions = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    party_lessons = serializers.IntegerField()
    resources_viewed = serializers.IntegerField()
    resources_completed = serializers.IntegerField()
    enrollments = serializers.ListField(child=serializers.DictField())
    lessons = serializers.ListField(child=serializers.DictField())


def record_data(record: selectors.LearningRecord, *, with_lessons: bool) -> dict:
    lessons = record.lessons if with_lessons else []
    return {
        "classes": record.classes,
        "classes_completed": record.classes_completed,
        "sessions": record.sessions,
        "hours": f"{record.hours:.1f}",
        "party_lessons": len(lessons),
        "resources_viewed": record.resources_viewed,
        "resources_completed": len(record.resources_completed),
        "enrollments": [
            {
                "training_class": e.training_class_id,
                "name": e.training_class.name,
                "sessions_attended": e.sessions_attended,
                "completed": e.completed,
                "completed_on": e.completed_on.isoformat() if e.completed_on else None,
            }
            for e in record.enrollments
        ],
        "lessons": [
            {"id": lesson.pk, "title": lesson.title, "given_on": lesson.given_on.isoformat()}
            for lesson in lessons
        ],
    }
