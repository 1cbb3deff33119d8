"""REST endpoints for appeals: partners (platforms, the 12345 hotline) file and follow their
appeals; staff list, follow and move them through the workflow actions."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.schema import counted_list
from core.idempotency import HEADER, idempotent_response
from organizations.scoped import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import selectors, services
from ..filtersets import AppealEventFilterSet, AppealFilterSet
from ..models import Appeal, AppealEvent
from . import serializers as s

IDEMPOTENCY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_("Any unique string up to 255 characters, one per request."),
)


class CanMoveAppeals(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("appeals.change_appeal"))


def _action_schema(summary, body):
    return extend_schema(
        tags=["appeals"], summary=summary, request=body, responses={200: s.AppealSerializer}
    )


@extend_schema_view(
    list=extend_schema(tags=["appeals"], summary=_("List appeals")),
    retrieve=extend_schema(tags=["appeals"], summary=_("Show one appeal")),
)
class AppealViewSet(ScopedModelViewSet):
    """Appeals within your scope (a partner sees the appeals it submitted). State moves only
    through the action endpoints; an appeal is never edited or deleted."""

    queryset = Appeal.objects.select_related(*selectors.LIST_RELATED)
    serializer_class = s.AppealSerializer
    filterset_class = AppealFilterSet
    http_method_names = ["get", "post", "head", "options"]
    endpoint = "appeals.create"

    def get_permissions(self):
        if self.action in ACTION_BODIES:
            return [CanMoveAppeals()]
        return super().get_permissions()

    def get_serializer_class(self):
        return ACTION_BODIES.get(self.action, s.AppealSerializer)

    @extend_schema(
        tags=["appeals"],
        summary=_("File an appeal"),
        description=_(
            "Receive an appeal (a reference number, the dispatch due time and the expected "
            "reply time are set). Send an `Idempotency-Key` header to make retries safe: the "
            "same key with the same body returns the stored answer and files nothing; the same "
            "key with another body answers 422 `idempotency_key_reused`."
        ),
        request=s.AppealSerializer,
        responses={201: s.AppealSerializer},
        parameters=[IDEMPOTENCY],
    )
    def create(self, request, *args, **kwargs):
        return idempotent_response(
            request, endpoint=self.endpoint, handler=lambda: self._create(request)
        )

    def _create(self, request) -> Response:
        body = s.AppealSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        appeal = services.appeal_create(actor=request.user, data=dict(body.validated_data))
        data = s.AppealSerializer(appeal, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    def _act(self, request, call):
        appeal = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = call(appeal, body.validated_data)
        return Response(s.AppealSerializer(appeal, context=self.get_serializer_context()).data)

    @_action_schema(_("Dispatch to an organization"), s.DispatchSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="dispatch",
        url_name="dispatch",
        filterset_class=None,
    )
    def dispatch_to(self, request, pk=None):
        return self._act(
            request,
            lambda a, d: services.appeal_dispatch(
                actor=request.user, appeal=a, organization=d["organization"], note=d["note"]
            ),
        )

    @_action_schema(_("Sign for the appeal"), s.NoteSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def sign(self, request, pk=None):
        return self._act(
            request, lambda a, d: services.appeal_sign(actor=request.user, appeal=a, note=d["note"])
        )

    @_action_schema(_("Dispute: the appeal is not ours"), s.ReasonSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def dispute(self, request, pk=None):
        return self._act(
            request,
            lambda a, d: services.appeal_dispute(actor=request.user, appeal=a, reason=d["reason"]),
        )

    @_action_schema(_("Start handling"), s.NoteSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def start(self, request, pk=None):
        return self._act(
            request,
            lambda a, d: services.appeal_start(actor=request.user, appeal=a, note=d["note"]),
        )

    @_action_schema(_("Extend the reply deadline once"), s.ReasonSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def extend(self, request, pk=None):
        return self._act(
            request,
            lambda a, d: services.appeal_extend(actor=request.user, appeal=a, reason=d["reason"]),
        )

    @_action_schema(_("Reply to the worker"), s.ReplySerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reply(self, request, pk=None):
        return self._act(
            request,
            lambda a, d: services.appeal_reply(actor=request.user, appeal=a, reply=d["reply"]),
        )

    @_action_schema(_("Close the appeal"), s.NoteSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        return self._act(
            request,
            lambda a, d: services.appeal_close(actor=request.user, appeal=a, note=d["note"]),
        )

    @_action_schema(_("Record the return visit (1–5)"), s.VisitSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def visit(self, request, pk=None):
        return self._act(
            request,
            lambda a, d: services.appeal_visit(
                actor=request.user, appeal=a, score=d["score"], note=d["note"]
            ),
        )

    @_action_schema(_("Merge as a duplicate of another appeal"), s.MergeSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def merge(self, request, pk=None):
        return self._act(
            request,
            lambda a, d: services.appeal_merge(
                actor=request.user, appeal=a, into=d["into"], note=d["note"]
            ),
        )

    @extend_schema(
        tags=["appeals"],
        summary=_("Likely duplicates of the appeal"),
        responses=counted_list(s.AppealSerializer, "AppealDuplicates"),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def duplicates(self, request, pk=None):
        appeal = self.get_object()
        found = selectors.duplicate_candidates(request.user, appeal)
        data = s.AppealSerializer(found, many=True, context=self.get_serializer_context()).data
        return Response({"count": len(data), "results": data})

    @extend_schema(
        tags=["appeals"],
        summary=_("The appeal's timeline"),
        responses=counted_list(s.AppealEventSerializer, "AppealTimeline"),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def events(self, request, pk=None):
        appeal = self.get_object()
        events = selectors.events_for(request.user, appeal)
        data = s.AppealEventSerializer(events, many=True).data
        return Response({"count": len(data), "results": data})


# ``dispatch`` is a method of every DRF view: that action is ``dispatch_to``, routed as
# ``dispatch/``.
ACTION_BODIES = {
    "dispatch_to": s.DispatchSerializer,
    "sign": s.NoteSerializer,
    "dispute": s.ReasonSerializer,
    "start": s.NoteSerializer,
    "extend": s.ReasonSerializer,
    "reply": s.ReplySerializer,
    "close": s.NoteSerializer,
    "visit": s.VisitSerializer,
    "merge": s.MergeSerializer,
}


@extend_schema_view(
    list=extend_schema(tags=["appeals"], summary=_("List appeal events")),
    retrieve=extend_schema(tags=["appeals"], summary=_("Show one appeal event")),
)
class AppealEventViewSet(ScopedReadOnlyViewSet):
    """Every step of the appeals within your scope (immutable)."""

    queryset = AppealEvent.objects.select_related("appeal", "organization")
    serializer_class = s.AppealEventSerializer
    filterset_class = AppealEventFilterSet
