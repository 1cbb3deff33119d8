"""Shapes of the grid's API. Validation of rules happens in the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from members.models import Worker
from organizations.scoped import ScopedModelSerializer, ScopedPrimaryKeyRelatedField

from ..choices import Skill, VolunteerChannel
from ..models import Claim, PointsEntry, Task, Volunteer


def h3_hex(cell) -> str | None:
    return f"{cell:x}" if cell is not None else None


class VolunteerSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    skills = serializers.ListField(source="skill_list", child=serializers.CharField())
    home_cell = serializers.SerializerMethodField()
    balance = serializers.IntegerField(source="account.balance", read_only=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "worker",
            "worker_name",
            "status",
            "channel",
            "skills",
            "availability",
            "home_cell",
            "load",
            "balance",
            "joined_at",
        ]
        read_only_fields = fields

    def get_home_cell(self, obj) -> str | None:
        return h3_hex(obj.home_cell)


class VolunteerUpdateSerializer(serializers.Serializer):
    skills = serializers.ListField(
        child=serializers.ChoiceField(choices=Skill.choices), required=False, label=_("skills")
    )
    availability = serializers.CharField(
        required=False, allow_blank=True, max_length=120, label=_("availability")
    )
    cells = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        max_length=20,
        label=_("h3 cells"),
    )


class VolunteerRegisterSerializer(VolunteerUpdateSerializer):
    """A registration: who and through which channel, with what an update may change."""

    worker = ScopedPrimaryKeyRelatedField(queryset=Worker.objects.all(), label=_("worker"))
    channel = serializers.ChoiceField(
        choices=VolunteerChannel.choices, default=VolunteerChannel.PARTNER, label=_("channel")
    )


class TaskSerializer(ScopedModelSerializer):
    places_left = serializers.IntegerField(read_only=True)
    cell = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "campaign",
            "kind",
            "title",
            "description",
            "region",
            "organization",
            "place",
            "lat",
            "lng",
            "cell",
            "starts_at",
            "ends_at",
            "slots",
            "filled",
            "places_left",
            "points",
            "skill",
            "proof_photo",
            "proof_location",
            "proof_code",
            "beneficiary_code",
            "status",
            "created_at",
        ]
        read_only_fields = ["filled", "status", "created_at"]
        extra_kwargs = {"beneficiary_code": {"write_only": True}}

    def get_cell(self, obj) -> str | None:
        return h3_hex(obj.cell)


class NearQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, label=_("latitude"))
    lng = serializers.FloatField(
        min_value=-180, max_value=180, required=False, label=_("longitude")
    )
    radius_m = serializers.IntegerField(
        min_value=100, max_value=10000, required=False, label=_("radius (m)")
    )
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20, label=_("limit"))
    skill = serializers.ChoiceField(choices=Skill.choices, required=False, label=_("skill"))

    def validate(self, attrs):
        if ("lat" in attrs) != ("lng" in attrs):
            raise serializers.ValidationError({"lng": _("Give both latitude and longitude.")})
        return attrs


class NearTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    place = serializers.CharField()
    lat = serializers.FloatField()
    lng = serializers.FloatField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    slots = serializers.IntegerField()
    filled = serializers.IntegerField()
    points = serializers.IntegerField()
    skill = serializers.CharField()
    distance_m = serializers.IntegerField()


class NearResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = NearTaskSerializer(many=True)


class InvitedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    volunteer = serializers.IntegerField()
    status = serializers.CharField()


class InviteResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = InvitedSerializer(many=True)


class ClaimRequestSerializer(serializers.Serializer):
    volunteer = ScopedPrimaryKeyRelatedField(queryset=Volunteer.objects.all(), label=_("volunteer"))


class InviteSerializer(serializers.Serializer):
    volunteers = serializers.ListField(
        child=serializers.IntegerField(), required=False, max_length=200, label=_("volunteers")
    )
    best = serializers.IntegerField(
        min_value=1, max_value=200, required=False, label=_("invite the best N")
    )

    def validate(self, attrs):
        if not attrs.get("volunteers") and not attrs.get("best"):
            raise serializers.ValidationError(
                {"volunteers": _("Name the volunteers, or ask for the best N.")}
            )
        return attrs


@extend_schema_serializer(component_name="GridReason")
class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=_("reason"))


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ProofSerializer(serializers.Serializer):
    photo = serializers.FileField(required=False, label=_("photo"))
    lat = serializers.FloatField(required=False, label=_("latitude"))
    lng = serializers.FloatField(required=False, label=_("longitude"))
    at = serializers.DateTimeField(required=False, label=_("time"))
    code = serializers.CharField(required=False, allow_blank=True, max_length=12)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ClaimSerializer(serializers.ModelSerializer):
    task_title = serializers.CharField(source="task.title", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.worker.name", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "task",
            "task_title",
            "volunteer",
            "volunteer_name",
            "status",
            "invited_at",
            "claimed_at",
            "submitted_at",
            "decided_at",
            "return_reason",
            "proof_lat",
            "proof_lng",
            "proof_at",
            "distance_m",
            "code_matches",
            "flag_outside_window",
            "flag_too_far",
            "points_awarded",
        ]
        read_only_fields = fields


class PointsEntrySerializer(serializers.ModelSerializer):
    task = serializers.CharField(source="claim.task.title", default="", read_only=True)
    reward = serializers.CharField(source="redemption.item.name", default="", read_only=True)

    class Meta:
        model = PointsEntry
        fields = ["id", "kind", "points", "balance_after", "reason", "task", "reward", "at"]
        read_only_fields = fields


class PointsSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField()
    balance = serializers.IntegerField()
    earned_total = serializers.IntegerField()
    entries = PointsEntrySerializer(many=True)
