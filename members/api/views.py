"""REST endpoints for workers, members, letters, proposals and cases: scoped reads, writes
and state changes through the services."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from organizations.scoped import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceSet

from ..filtersets import (
    CaseFilterSet,
    LetterFilterSet,
    MatchProposalFilterSet,
    PartyMemberFilterSet,
    WorkerFilterSet,
)
from ..models import Case, MatchProposal, PartyMember, TransferLetter, Worker
from ..services import people
from . import serializers as s
from .search import ProtectedSearchMixin, without_protected_lookups


def latest_letter_status():
    """The status of a member's newest transfer letter, as one subquery."""
    return Subquery(
        TransferLetter.objects.filter(member=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("status")[:1]
    )


@extend_schema(tags=["workers"])
@extend_schema_view(search=extend_schema(responses=s.WorkerSerializer(many=True)))
class WorkerViewSet(ProtectedSearchMixin, ScopedModelViewSet):
    """Workers of the new employment groups in your scope; a partner system sees the workers of
    its own platform. IDs and phones are write-only and answered masked; `POST
    /workers/search/` finds a person by exact ID number or phone (never in the URL)."""

    queryset = Worker.objects.select_related("industry", "region", "enterprise", "platform")
    serializer_class = s.WorkerSerializer
    filterset_class = without_protected_lookups(WorkerFilterSet)
    services = ServiceSet.of(people, "worker")


@extend_schema(tags=["members"])
@extend_schema_view(search=extend_schema(responses=s.PartyMemberSerializer(many=True)))
class PartyMemberViewSet(ProtectedSearchMixin, ScopedModelViewSet):
    """Party members held or hosted by organizations in your scope, with the mobile-member
    fields and the status of the latest transfer letter; `POST /members/search/` finds a
    member by exact ID number or phone."""

    queryset = PartyMember.objects.select_related(
        "organization", "host_organization", "region", "industry"
    ).annotate(latest_letter_status=latest_letter_status())
    serializer_class = s.PartyMemberSerializer
    filterset_class = without_protected_lookups(PartyMemberFilterSet)
    services = ServiceSet.of(people, "member")

    def _step(self, service):
        member = self.get_object()
        member = service(actor=self.request.user, member=member)
        member = self.get_queryset().filter(pk=member.pk).first() or member
        return Response(self.get_serializer(member).data)

    @extend_schema(request=None, summary=_("Suspend the membership (6+ months out of contact)"))
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._step(people.member_suspend)

    @extend_schema(request=None, summary=_("Restore a suspended membership"))
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return self._step(people.member_restore)

    @extend_schema(request=None, summary=_("Confirm a probationary member as full"))
    @action(detail=True, methods=["post"], url_path="make-full")
    def make_full(self, request, pk=None):
        return self._step(people.member_make_full)


@extend_schema(tags=["members"])
class TransferLetterViewSet(ScopedModelViewSet):
    """Transfer letters of members in your scope: drafted here, then issued with a validity,
    received or returned; an issued letter past its validity expires overnight."""

    queryset = TransferLetter.objects.select_related("member", "to_organization")
    serializer_class = s.TransferLetterSerializer
    filterset_class = LetterFilterSet
    services = ServiceSet.of(people, "letter")

    def _answer(self, letter):
        return Response(self.get_serializer(letter).data)

    @extend_schema(request=s.LetterIssueSerializer, summary=_("Issue a draft letter"))
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        letter = self.get_object()
        form = s.LetterIssueSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(
            people.letter_issue(actor=request.user, letter=letter, **form.validated_data)
        )

    @extend_schema(request=None, summary=_("Record that the letter was received"))
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        return self._answer(people.letter_receive(actor=request.user, letter=self.get_object()))

    @extend_schema(request=s.LetterReturnSerializer, summary=_("Record that the letter came back"))
    @action(detail=True, methods=["post"], url_path="return")
    def return_letter(self, request, pk=None):
        letter = self.get_object()
        form = s.LetterReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(
            people.letter_return(actor=request.user, letter=letter, **form.validated_data)
        )


@extend_schema(tags=["two finds"])
class MatchProposalViewSet(ScopedReadOnlyViewSet):
    """Match proposals in your scope, identities masked on both sides."""

    queryset = MatchProposal.objects.select_related("worker", "member")
    serializer_class = s.MatchProposalSerializer
    filterset_class = MatchProposalFilterSet


@extend_schema(tags=["two finds"])
class CaseViewSet(ScopedReadOnlyViewSet):
    """Found-member cases in your scope with their history."""

    queryset = Case.objects.select_related("worker", "member", "owner").prefetch_related("events")
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
