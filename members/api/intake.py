"""``POST /api/v1/workers/bulk/``: a partner or staff pushes a worker roster (door 1 of the intake).

Thin: validate the envelope, call :func:`members.services.intake.roster_upsert`, return its
report. ``Idempotency-Key`` is honoured through :mod:`core.idempotency`. The answer is 200
also when some rows are rejected: the good rows were committed and each bad one is listed in
``errors``; 400 means the envelope itself is wrong and nothing was written.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import permissions, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.conflicts import retry_on_conflict
from core.idempotency import HEADER, idempotent_response

from ..services.intake import roster_upsert

MAX_ROWS = 10_000


class WorkerRowSerializer(serializers.Serializer):
    """One roster row; every cell may be empty or missing except ``external_id``."""

    external_id = serializers.CharField(max_length=64)
    name = serializers.CharField(required=False, allow_blank=True)
    id_number = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    phone = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    industry = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    enterprise_uscc = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    region_code = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    political_status = serializers.ChoiceField(
        choices=["masses", "league", "activist", "probationary", "full", ""], required=False
    )
    work_lat = serializers.FloatField(required=False, allow_null=True)
    work_lng = serializers.FloatField(required=False, allow_null=True)


class RowsField(serializers.ListField):
    """A list of JSON objects, checked as a whole: the service checks each row's cells (a bad
    row is a row error, not a 400), so running a ``DictField`` for each of 10,000 rows would
    only repeat "is it an object" at ten times the cost."""

    def to_internal_value(self, data):
        if isinstance(data, str | dict) or not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        message = self.child.error_messages["not_a_dict"]
        wrong = {
            index: [ErrorDetail(message.format(input_type=type(row).__name__), "not_a_dict")]
            for index, row in enumerate(data)
            if not isinstance(row, dict)
        }
        if wrong:
            raise serializers.ValidationError(wrong)
        return data


class WorkerBulkRequestSerializer(serializers.Serializer):
    source = serializers.SlugField(max_length=64, help_text=_("The roster's name, e.g. meituan."))
    rows = RowsField(
        child=serializers.DictField(),
        max_length=MAX_ROWS,
        allow_empty=False,
        help_text=_("At most 10,000 rows; each row is validated on its own."),
    )


class WorkerBulkRequestDocSerializer(WorkerBulkRequestSerializer):
    """The request as documented: rows are validated one by one by the service, so the view
    only checks the envelope (a bad row must not fail the whole request)."""

    rows = WorkerRowSerializer(many=True, max_length=MAX_ROWS)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("1-based position in `rows`."))
    external_id = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class IntakeReportSerializer(serializers.Serializer):
    read = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField(help_text=_("Known workers seen again, nothing changed."))
    rejected = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
    warnings = RowErrorSerializer(many=True)


class CanWriteWorkers(permissions.BasePermission):
    """Adding and changing workers (the partner group has both); scope narrows it further."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.has_perms(["members.add_worker", "members.change_worker"])
        )


class WorkerBulkUpsertView(APIView):
    permission_classes = [CanWriteWorkers]
    endpoint = "members.workers-bulk"

    @extend_schema(
        tags=["workers"],
        summary=_("Create or update workers from a roster"),
        description=_(
            "Upsert up to 10,000 workers keyed by (`source`, `external_id`). Columns: "
            "`external_id, name, id_number, phone, industry` (industry code), "
            "`enterprise_uscc, region_code, political_status` "
            "(`masses|league|activist|probationary|full`), `work_lat, work_lng`. Empty or "
            "missing cells are allowed and never erase a known value. Each bad row is listed in "
            "`errors` with its 1-based position, column and reason, and the good rows are "
            "committed; the status is 200 either way. A partner's key writes only workers of its "
            "own platform. Send an `Idempotency-Key` header to make retries safe: the same key "
            "with the same body returns the stored answer and writes nothing; the same key with "
            "another body answers 422 `idempotency_key_reused`. Two pushes of the same new rows at "
            "the same moment both succeed (the later one updates what the first created)."
        ),
        request=WorkerBulkRequestDocSerializer,
        responses={
            200: IntakeReportSerializer,
            409: OpenApiResponse(
                description=_(
                    "`conflict`: a concurrent request kept writing the same new rows; nothing "
                    "was written, send the request again."
                )
            ),
        },
        parameters=[
            OpenApiParameter(
                HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description=_("Any unique string up to 255 characters, one per request."),
            )
        ],
        examples=[
            OpenApiExample(
                "roster",
                request_only=True,
                value={
                    "source": "meituan",
                    "rows": [
                        {
                            "external_id": "MT-0001",
                            "name": "张伟",
                            "id_number": "",
                            "phone": "",
                            "industry": "food_delivery",
                            "enterprise_uscc": "",
                            "region_code": "320402",
                            "political_status": "masses",
                            "work_lat": 31.78,
                            "work_lng": 119.95,
                        }
                    ],
                },
            )
        ],
    )
    def post(self, request):
        return idempotent_response(
            request, endpoint=self.endpoint, handler=lambda: self._upsert(request)
        )

    def _upsert(self, request) -> Response:
        envelope = WorkerBulkRequestSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        rows = envelope.validated_data["rows"]  # the service reads only the contract's columns
        # Two pushes of the same new rows at once: the loser of the insert race runs again and
        # updates the winner's rows (or answers 409 in the error format), never a 500.
        report = retry_on_conflict(
            lambda: roster_upsert(
                actor=request.user, source=envelope.validated_data["source"], rows=rows
            )
        )
        return Response(report.as_dict(), status=200)
