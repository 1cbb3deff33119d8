"""REST endpoints of organization life under ``/api/v1/branchlife/``: scoped CRUD for
secretaries; for partner apps a member's upcoming meetings, check-in by code (the training
check-in pattern), sign-up and leave requests, and the dues payment push (idempotent with an
``Idempotency-Key`` header, like the roster intake)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import has_perm
from core.idempotency import HEADER, idempotent_response
from members.models import PartyMember
from organizations import scoping
from organizations.scoped import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceSet

from .. import selectors, services
from ..choices import CheckInChannel
from ..filtersets import (
    DuesDeclarationFilterSet,
    DuesHandoverFilterSet,
    DuesPaymentFilterSet,
    ElectionFilterSet,
    EvaluationFilterSet,
    MeetingFilterSet,
)
from ..models import (
    DuesDeclaration,
    DuesHandover,
    DuesPayment,
    Election,
    Evaluation,
    Meeting,
    Participation,
)
from ..services.meetings import UNKNOWN_MEMBER, expected_members
from . import serializers as s

TAG = "branchlife"


def _schema(name: str):
    return extend_schema_view(
        list=extend_schema(tags=[TAG], summary=_("List %(name)s") % {"name": name}),
        retrieve=extend_schema(tags=[TAG], summary=_("Show one of the %(name)s") % {"name": name}),
        create=extend_schema(tags=[TAG], summary=_("Create one of the %(name)s") % {"name": name}),
        update=extend_schema(tags=[TAG], summary=_("Replace one of the %(name)s") % {"name": name}),
        partial_update=extend_schema(
            tags=[TAG], summary=_("Change one of the %(name)s") % {"name": name}
        ),
        destroy=extend_schema(tags=[TAG], summary=_("Delete one of the %(name)s") % {"name": name}),
    )


def _meeting_member(request, meeting: Meeting, reference: str) -> PartyMember:
    """The member named by roster id: one the caller sees, or one expected at the meeting
    (the check-in code or the meeting's own scope admits them); else the one answer."""
    seen = scoping.visible(PartyMember, request.user).filter(member_id=reference)
    found = list(seen[:1]) or list(expected_members(meeting).filter(member_id=reference)[:1])
    if not found:
        raise DRFValidationError({"member": [str(UNKNOWN_MEMBER)]})
    return found[0]


@_schema("meetings")
class MeetingViewSet(ScopedModelViewSet):
    """Meetings of the organizations in your scope. ``check-ins/`` records presence with the
    meeting's code; ``sign-ups/`` and ``leave-requests/`` take a member's answer to the notice;
    ``hold/`` records the minutes."""

    queryset = Meeting.objects.all()
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilterSet
    services = ServiceSet.of(services, "meeting")

    def get_queryset(self):
        return selectors.meetings_for(self.request.user)

    def get_permissions(self):
        if self.action == "check_ins":
            return [has_perm("branchlife.add_participation")()]
        if self.action in ("sign_ups", "leave_requests"):
            return [has_perm("branchlife.add_participation")()]
        if self.action == "photos":
            return [has_perm("branchlife.add_meetingphoto")()]
        if self.action == "photo_remove":
            return [has_perm("branchlife.delete_meetingphoto")()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.MeetingDetailSerializer
        return super().get_serializer_class()

    def _member_body(self, serializer_class, meeting):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["member"] = _meeting_member(self.request, meeting, data["member"])
        return data

    @extend_schema(
        tags=[TAG],
        summary=_("Check a member in at a meeting"),
        description=_(
            "From a partner app, after the member scanned the meeting's QR code (the meeting "
            "id and its check-in code) or typed the code. The member is given by roster id. "
            "Idempotent per meeting and member: a repeat answers 200 with the same row, a new "
            "one 201. A mobile member checks in where hosted; it counts for their home "
            "organization."
        ),
        request=s.CheckInSerializer,
        responses={200: s.ParticipationSerializer, 201: s.ParticipationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="check-ins", filterset_class=None)
    def check_ins(self, request, pk=None):
        # Any meeting: the check-in code, not the caller's scope, admits the check-in.
        meeting = get_object_or_404(Meeting, pk=pk)
        data = self._member_body(s.CheckInSerializer, meeting)
        participation, created = services.participation_check_in(
            actor=request.user,
            meeting=meeting,
            member=data["member"],
            code=data["code"],
            channel=data.get("channel") or CheckInChannel.PARTNER_APP,
            at=data.get("at"),
        )
        return Response(
            s.ParticipationSerializer(participation).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        tags=[TAG],
        summary=_("Sign a member up for a planned meeting"),
        request=s.MemberReference,
        responses={200: s.ParticipationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="sign-ups", filterset_class=None)
    def sign_ups(self, request, pk=None):
        meeting = self.get_object()
        data = self._member_body(s.MemberReference, meeting)
        participation = services.participation_sign_up(
            actor=request.user, meeting=meeting, member=data["member"]
        )
        return Response(s.ParticipationSerializer(participation).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Ask leave from a meeting, with the reason"),
        request=s.LeaveSerializer,
        responses={200: s.ParticipationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="leave-requests", filterset_class=None)
    def leave_requests(self, request, pk=None):
        meeting = self.get_object()
        data = self._member_body(s.LeaveSerializer, meeting)
        participation = services.participation_leave(
            actor=request.user, meeting=meeting, member=data["member"], reason=data["reason"]
        )
        return Response(s.ParticipationSerializer(participation).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Record a meeting as held, with its minutes"),
        request=s.HoldSerializer,
        responses={200: s.MeetingSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def hold(self, request, pk=None):
        meeting = self.get_object()
        body = s.HoldSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_hold(actor=request.user, meeting=meeting, **body.validated_data)
        return Response(s.MeetingSerializer(meeting, context={"request": request}).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Add a photo to a meeting"),
        description=_(
            "A multipart form with one file in ``photo`` (JPEG, PNG or WebP). The photo is "
            "re-encoded without its metadata (location, camera) and kept privately; a meeting "
            "keeps a limited number of photos. A refused file answers 400 on ``photo``."
        ),
        request={"multipart/form-data": s.PhotoUploadSerializer},
        responses={201: s.MeetingPhotoSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        filterset_class=None,
    )
    def photos(self, request, pk=None):
        meeting = self.get_object()
        photo = services.meeting_photo_add(
            actor=request.user, meeting=meeting, upload=request.FILES.get("photo")
        )
        return Response(
            s.MeetingPhotoSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=[TAG],
        summary=_("Remove a photo of a meeting"),
        parameters=[
            OpenApiParameter(
                "photo_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("photo id")
            )
        ],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"photos/(?P<photo_id>[0-9]+)",
        filterset_class=None,
    )
    def photo_remove(self, request, pk=None, photo_id=None):
        meeting = self.get_object()
        photo = get_object_or_404(
            selectors.meeting_photos_for(request.user, meeting=meeting), pk=photo_id
        )
        services.meeting_photo_remove(actor=request.user, photo=photo)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("List meeting participations")),
    retrieve=extend_schema(tags=[TAG], summary=_("Show one meeting participation")),
)
class ParticipationViewSet(ScopedReadOnlyViewSet):
    queryset = Participation.objects.select_related("member")
    serializer_class = s.ParticipationSerializer


class UpcomingMeetingsView(APIView):
    """A member's planned meetings from now (their organization's and the hosting one's)."""

    permission_classes = [has_perm("branchlife.view_meeting")]

    @extend_schema(
        tags=[TAG],
        summary=_("A member's upcoming meetings"),
        parameters=[
            OpenApiParameter("member_id", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
        responses={200: s.MeetingBriefSerializer(many=True)},
    )
    def get(self, request, member_id: str):
        member = get_object_or_404(scoping.visible(PartyMember, request.user), member_id=member_id)
        meetings = selectors.upcoming_for(request.user, member=member)[:50]
        return Response({"results": s.MeetingBriefSerializer(meetings, many=True).data})


@_schema("member evaluations")
class EvaluationViewSet(ScopedModelViewSet):
    queryset = Evaluation.objects.select_related("member")
    serializer_class = s.EvaluationSerializer
    filterset_class = EvaluationFilterSet
    services = ServiceSet.of(services, "evaluation")


@_schema("dues declarations")
class DuesDeclarationViewSet(ScopedModelViewSet):
    queryset = DuesDeclaration.objects.select_related("member")
    serializer_class = s.DuesDeclarationSerializer
    filterset_class = DuesDeclarationFilterSet
    services = ServiceSet.of(services, "declaration")


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("List dues payments")),
    retrieve=extend_schema(tags=[TAG], summary=_("Show one dues payment")),
    destroy=extend_schema(tags=[TAG], summary=_("Strike a wrongly recorded payment")),
)
class DuesPaymentViewSet(ScopedModelViewSet):
    """Dues payments recorded by branches or pushed by a partner system; a payment is never
    changed (strike it and record it again)."""

    queryset = DuesPayment.objects.all()
    serializer_class = s.DuesPaymentSerializer
    filterset_class = DuesPaymentFilterSet
    services = ServiceSet.of(services, "payment")
    http_method_names = ["get", "post", "delete", "head", "options"]
    endpoint = "branchlife.dues-payments"

    def get_queryset(self):
        return selectors.payments_for(self.request.user)

    @extend_schema(
        tags=[TAG],
        summary=_("Record (or push) a dues payment"),
        description=_(
            "A payment covering one or more months (`YYYY-MM`). Refused with a field error and "
            "nothing written: a negative amount, a month listed twice or already paid, a member "
            "outside your scope. An amount below the member's monthly standard is recorded and "
            "flagged (`below_standard`). Send an `Idempotency-Key` header to make retries safe: "
            "the same key with the same body returns the stored answer and writes nothing; the "
            "same key with another body answers 422 `idempotency_key_reused`."
        ),
        parameters=[
            OpenApiParameter(
                HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description=_("Any unique string up to 255 characters, one per request."),
            )
        ],
    )
    def create(self, request, *args, **kwargs):
        return idempotent_response(
            request,
            endpoint=self.endpoint,
            handler=lambda: super(DuesPaymentViewSet, self).create(request, *args, **kwargs),
        )


@_schema("dues handovers")
class DuesHandoverViewSet(ScopedModelViewSet):
    queryset = DuesHandover.objects.all()
    serializer_class = s.DuesHandoverSerializer
    filterset_class = DuesHandoverFilterSet
    services = ServiceSet.of(services, "handover")


@_schema("elections")
class ElectionViewSet(ScopedModelViewSet):
    """Elections (换届): recording one updates the organization's secretary and term end."""

    queryset = Election.objects.all()
    serializer_class = s.ElectionSerializer
    filterset_class = ElectionFilterSet
    services = ServiceSet.of(services, "election")
