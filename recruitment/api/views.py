"""REST endpoints of the pipeline under ``/api/v1/recruitment/``: candidates (the application
creates one), their steps (recorded through ``step_record``), the overdue list and the board's
figures. Everything is scoped: an out-of-scope candidate answers 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.scoped import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceSet

from .. import selectors, services
from ..filtersets import CandidateFilterSet, StepFilterSet
from ..models import Candidate, Step
from . import serializers as s

TAG = "recruitment"


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("List candidates")),
    retrieve=extend_schema(tags=[TAG], summary=_("Show a candidate")),
    create=extend_schema(tags=[TAG], summary=_("Enter an application (step 1)")),
    update=extend_schema(tags=[TAG], summary=_("Correct a candidate")),
    partial_update=extend_schema(tags=[TAG], summary=_("Correct a candidate")),
    destroy=extend_schema(tags=[TAG], summary=_("Withdraw an application")),
)
class CandidateViewSet(ScopedModelViewSet):
    queryset = Candidate.objects.select_related("organization", "industry", "region")
    serializer_class = s.CandidateSerializer
    filterset_class = CandidateFilterSet
    services = ServiceSet.of(services, "candidate")

    @extend_schema(
        tags=[TAG],
        summary=_("Record the candidate's next step"),
        request=s.StepInputSerializer,
        responses={201: s.StepSerializer},
    )
    @action(detail=True, methods=["post"], url_path="steps")
    def steps(self, request, pk=None):
        candidate = self.get_object()  # scoped: 404 outside
        body = s.StepInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        try:
            step = services.step_record(
                actor=request.user,
                candidate=candidate,
                step=data.pop("step"),
                on=data.pop("on"),
                note=data.pop("note", ""),
                **data,
            )
        except ValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"step": exc.messages}
            ) from None
        return Response(s.StepSerializer(step).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("List pipeline steps")),
    retrieve=extend_schema(tags=[TAG], summary=_("Show a pipeline step")),
)
class StepViewSet(ScopedReadOnlyViewSet):
    queryset = Step.objects.all()
    serializer_class = s.StepSerializer
    filterset_class = StepFilterSet


class OverdueView(APIView):
    """Steps overdue or due soon in the user's scope."""

    queryset = Candidate.objects.none()  # the model permission: view candidates

    @extend_schema(
        tags=[TAG], summary=_("Overdue pipeline steps"), responses=s.OverdueListSerializer
    )
    def get(self, request):
        rows = selectors.overdue(request.user)
        return Response(s.OverdueListSerializer({"results": rows}).data)


class BoardView(APIView):
    """People per stage, in total and by industry, district and organization."""

    queryset = Candidate.objects.none()  # the model permission: view candidates

    @extend_schema(tags=[TAG], summary=_("People per stage"), responses=s.BoardSerializer)
    def get(self, request):
        board = selectors.board(request.user)
        return Response(
            s.BoardSerializer(
                {
                    "totals": board.totals,
                    "total": board.total,
                    "breakdowns": [
                        {
                            "title": b.title,
                            "rows": [
                                {"label": label, "stages": stages, "total": total}
                                for label, stages, total in b.rows
                            ],
                        }
                        for b in board.breakdowns
                    ],
                }
            ).data
        )
