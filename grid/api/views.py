"""REST endpoints of the grid: the partner app's face (tasks near a point, claim, accept or
decline an invitation, proof with a photo, points and statement) and the publishers' (tasks,
invitations, verification). Every write takes an ``Idempotency-Key``."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.permissions import has_perm
from core.idempotency import HEADER, idempotent_response
from organizations.scoped import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceSet

from .. import conf, geo, selectors, services
from ..filtersets import ClaimFilterSet, TaskFilterSet, VolunteerFilterSet
from ..models import Claim, Task, Volunteer
from . import serializers as s

IDEMPOTENCY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=_("Makes a retry safe: the same key and body answer the stored response."),
)


def _idempotent(view, request, name: str, handler):
    return idempotent_response(request, endpoint=f"grid-{name}", handler=handler)


def _body(serializer_class, request, view):
    body = serializer_class(data=request.data, context=view.get_serializer_context())
    body.is_valid(raise_exception=True)
    return body.validated_data


def _near(lat: float, lng: float, q: dict) -> Response:
    rows = selectors.tasks_near(
        lat=lat,
        lng=lng,
        radius_m=q.get("radius_m") or conf.get("GRID_NEAR_RADIUS_M"),
        limit=q["limit"],
        skill=q.get("skill", ""),
    )
    return Response({"count": len(rows), "results": rows})


@extend_schema(tags=["grid"])
@extend_schema_view(
    list=extend_schema(summary=_("List grid volunteers")),
    retrieve=extend_schema(summary=_("Show one grid volunteer")),
)
class VolunteerViewSet(ScopedReadOnlyViewSet):
    """Grid volunteers in your scope (a partner: its own platform's workers)."""

    queryset = Volunteer.objects.select_related("worker", "account")
    serializer_class = s.VolunteerSerializer
    filterset_class = VolunteerFilterSet

    def get_permissions(self):
        if self.action in ("create", "pause", "resume", "leave", "partial_update"):
            return [
                has_perm(
                    "grid.change_volunteer" if self.action != "create" else "grid.add_volunteer"
                )()
            ]
        return super().get_permissions()

    @extend_schema(
        summary=_("Register a worker as a grid volunteer"),
        request=s.VolunteerRegisterSerializer,
        responses={201: s.VolunteerSerializer},
        parameters=[IDEMPOTENCY],
    )
    def create(self, request):
        def handler():
            d = _body(s.VolunteerRegisterSerializer, request, self)
            volunteer = services.volunteer_register(
                actor=request.user,
                worker=d["worker"],
                channel=d["channel"],
                skills=d.get("skills"),
                availability=d.get("availability", ""),
                cells=d.get("cells"),
            )
            return Response(s.VolunteerSerializer(volunteer).data, status=status.HTTP_201_CREATED)

        return _idempotent(self, request, "volunteer-register", handler)

    @extend_schema(
        summary=_("Change a volunteer's skills, availability or cells"),
        request=s.VolunteerUpdateSerializer,
        responses=s.VolunteerSerializer,
    )
    def partial_update(self, request, pk=None):
        volunteer = self.get_object()
        d = _body(s.VolunteerUpdateSerializer, request, self)
        cells = d.pop("cells", None)
        volunteer = services.volunteer_update(
            actor=request.user, volunteer=volunteer, data=d, cells=cells
        )
        return Response(s.VolunteerSerializer(volunteer).data)

    def _status(self, request, call):
        volunteer = self.get_object()
        return Response(s.VolunteerSerializer(call(actor=request.user, volunteer=volunteer)).data)

    @extend_schema(summary=_("Pause"), request=None, responses=s.VolunteerSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def pause(self, request, pk=None):
        return self._status(request, services.volunteer_pause)

    @extend_schema(summary=_("Resume"), request=None, responses=s.VolunteerSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def resume(self, request, pk=None):
        return self._status(request, services.volunteer_resume)

    @extend_schema(summary=_("Leave the grid"), request=None, responses=s.VolunteerSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def leave(self, request, pk=None):
        return self._status(request, services.volunteer_leave)

    @extend_schema(
        summary=_("Open tasks near the volunteer"),
        description=_(
            "Open tasks within `radius_m` of (`lat`, `lng`), or of the volunteer's home cell "
            "when no point is given; nearest first, with `distance_m`."
        ),
        parameters=[s.NearQuerySerializer],
        responses=s.NearResultSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="tasks-near",
        pagination_class=None,
        filterset_class=None,
    )
    def tasks_near(self, request, pk=None):
        volunteer = get_object_or_404(
            self.get_queryset().select_related(None).only("pk", "home_cell"), pk=pk
        )
        query = s.NearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        if "lat" in q:
            lat, lng = q["lat"], q["lng"]
        elif volunteer.home_cell is not None:
            lat, lng = geo.centre(volunteer.home_cell)
        else:
            return Response({"count": 0, "results": []})
        return _near(lat, lng, q)

    @extend_schema(
        summary=_("The volunteer's points and statement"),
        parameters=[OpenApiParameter("since", str, description=_("first day (YYYY-MM-DD)"))],
        responses=s.PointsSerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def points(self, request, pk=None):
        from django.utils.dateparse import parse_date

        volunteer = self.get_object()
        since = request.query_params.get("since") or ""
        day = parse_date(since) if since else None
        if since and day is None:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"since": [_("Give a date as YYYY-MM-DD.")]})
        entries = list(selectors.statement(volunteer, since=day)[:500])
        account = volunteer.account
        return Response(
            {
                "volunteer": volunteer.pk,
                "balance": account.balance,
                "earned_total": account.earned_total,
                "entries": s.PointsEntrySerializer(entries, many=True).data,
            }
        )


@extend_schema(tags=["grid"])
@extend_schema_view(
    list=extend_schema(summary=_("List grid tasks")),
    retrieve=extend_schema(summary=_("Show one grid task")),
    create=extend_schema(summary=_("Publish a task"), parameters=[IDEMPOTENCY]),
    partial_update=extend_schema(summary=_("Change a task")),
)
class TaskViewSet(ScopedModelViewSet):
    """Tasks published in your scope; `near` and `claim` work on every open task of the city."""

    queryset = Task.objects.select_related("region", "organization")
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilterSet
    services = ServiceSet.of(services, "task")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action == "near":
            return [has_perm("grid.view_task")()]
        if self.action == "claim":
            return [has_perm("grid.add_claim")()]
        if self.action in ("invite", "cancel"):
            return [has_perm("grid.change_task")()]
        return super().get_permissions()

    def create(self, request, *args, **kwargs):
        return _idempotent(
            self, request, "task-create", lambda: super(TaskViewSet, self).create(request)
        )

    @extend_schema(
        summary=_("Open tasks near a point"),
        parameters=[s.NearQuerySerializer],
        responses=s.NearResultSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def near(self, request):
        query = s.NearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        if "lat" not in q:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"lat": [_("Give the point's latitude and longitude.")]})
        return _near(q["lat"], q["lng"], q)

    @extend_schema(
        summary=_("Claim an open task for a volunteer"),
        request=s.ClaimRequestSerializer,
        responses={201: s.ClaimSerializer},
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def claim(self, request, pk=None):
        task = get_object_or_404(selectors.open_tasks().only("pk"), pk=pk)

        def handler():
            d = _body(s.ClaimRequestSerializer, request, self)
            claim = services.task_claim(actor=request.user, task=task, volunteer=d["volunteer"])
            return Response(s.ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

        return _idempotent(self, request, "task-claim", handler)

    @extend_schema(
        summary=_("Invite volunteers (named, or the best N)"),
        request=s.InviteSerializer,
        responses={201: s.InviteResultSerializer},
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def invite(self, request, pk=None):
        task = self.get_object()

        def handler():
            d = _body(s.InviteSerializer, request, self)
            if d.get("volunteers"):
                claims = services.task_invite(
                    actor=request.user, task=task, volunteers=d["volunteers"]
                )
            else:
                claims = services.task_invite_best(actor=request.user, task=task, count=d["best"])
            data = [{"id": c.pk, "volunteer": c.volunteer_id, "status": c.status} for c in claims]
            return Response({"count": len(data), "results": data}, status=status.HTTP_201_CREATED)

        return _idempotent(self, request, "task-invite", handler)

    @extend_schema(summary=_("Cancel a task"), request=s.ReasonSerializer, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, pk=None):
        task = self.get_object()

        def handler():
            d = _body(s.ReasonSerializer, request, self)
            done = services.task_cancel(actor=request.user, task=task, reason=d["reason"])
            return Response(s.TaskSerializer(done, context=self.get_serializer_context()).data)

        return _idempotent(self, request, "task-cancel", handler)


@extend_schema(tags=["grid"])
@extend_schema_view(
    list=extend_schema(summary=_("List claims and invitations")),
    retrieve=extend_schema(summary=_("Show one claim")),
)
class ClaimViewSet(ScopedReadOnlyViewSet):
    """Claims and invitations in your scope (a partner: its own workers')."""

    queryset = Claim.objects.select_related("task", "volunteer__worker")
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_permissions(self):
        if self.action in ("accept", "decline", "proof", "verify", "return_"):
            return [has_perm("grid.change_claim")()]
        return super().get_permissions()

    def _act(self, request, name, body_class, call):
        claim = self.get_object()

        def handler():
            d = _body(body_class, request, self) if body_class else {}
            done = call(claim, d)
            return Response(s.ClaimSerializer(done).data)

        return _idempotent(self, request, f"claim-{name}", handler)

    @extend_schema(summary=_("Accept an invitation"), request=None, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        return self._act(
            request, "accept", None, lambda c, d: services.claim_accept(actor=request.user, claim=c)
        )

    @extend_schema(
        summary=_("Decline an invitation"),
        request=s.OptionalReasonSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decline(self, request, pk=None):
        return self._act(
            request,
            "decline",
            s.OptionalReasonSerializer,
            lambda c, d: services.claim_decline(
                actor=request.user, claim=c, reason=d.get("reason", "")
            ),
        )

    @extend_schema(
        summary=_("Submit proof (multipart: photo, lat, lng, at, code, note)"),
        request={"multipart/form-data": s.ProofSerializer},
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def proof(self, request, pk=None):
        def call(claim, d):
            photo = d.get("photo")
            limit = int(conf.get("GRID_PROOF_PHOTO_MAX_BYTES"))
            data = None
            if photo is not None:
                # read one byte past the limit: enough to refuse a large file without loading it
                data = photo.read(limit + 1)
            return services.proof_submit(
                actor=request.user,
                claim=claim,
                lat=d.get("lat"),
                lng=d.get("lng"),
                at=d.get("at"),
                code=d.get("code", ""),
                photo=data,
                note=d.get("note", ""),
            )

        return self._act(request, "proof", s.ProofSerializer, call)

    @extend_schema(summary=_("Verify the proof (points are earned)"), request=None)
    @action(detail=True, methods=["post"], filterset_class=None)
    def verify(self, request, pk=None):
        return self._act(
            request, "verify", None, lambda c, d: services.claim_verify(actor=request.user, claim=c)
        )

    @extend_schema(summary=_("Return the proof with a reason"), request=s.ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return", filterset_class=None)
    def return_(self, request, pk=None):
        return self._act(
            request,
            "return",
            s.ReasonSerializer,
            lambda c, d: services.claim_return(actor=request.user, claim=c, reason=d["reason"]),
        )
