"""A worker's or member's learning record (classes, lessons, resources), for whoever may open it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum, Value
from django.db.models.functions import Coalesce

from members.choices import ACCEPTED_PROPOSAL_STATUSES, CaseStatus
from members.models import Case, MatchProposal, PartyMember, Worker
from organizations import scoping
from organizations.scoping import visible

from ..models import (
    Attendance,
    Enrollment,
    PartyLesson,
    ResourceProgress,
)


@dataclass
class LearningRecord:
    """What a person has learned: classes (with completion), sessions attended and their
    hours, party lessons attended, resources viewed and completed."""

    enrollments: list[Enrollment] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    hours: Decimal = Decimal("0")
    lessons: list[PartyLesson] = field(default_factory=list)
    resources_completed: list[ResourceProgress] = field(default_factory=list)
    resources_viewed: int = 0

    @property
    def classes(self) -> int:
        return len(self.enrollments)

    @property
    def classes_completed(self) -> int:
        return sum(1 for e in self.enrollments if e.completed)

    @property
    def sessions(self) -> int:
        return len(self.attendances)


def _linked_worker_ids(member_ids) -> list[int]:
    """Workers identified as these members by the two finds (an accepted match or a case that
    was not rejected)."""
    by_case = Case.objects.filter(member__in=member_ids, worker__isnull=False).exclude(
        status=CaseStatus.REJECTED
    )
    by_match = MatchProposal.objects.filter(
        member__in=member_ids, status__in=ACCEPTED_PROPOSAL_STATUSES
    )
    return sorted(
        set(by_case.values_list("worker_id", flat=True))
        | set(by_match.values_list("worker_id", flat=True))
    )


def _linked_member_ids(worker_ids) -> list[int]:
    by_case = Case.objects.filter(worker__in=worker_ids, member__isnull=False).exclude(
        status=CaseStatus.REJECTED
    )
    by_match = MatchProposal.objects.filter(
        worker__in=worker_ids, status__in=ACCEPTED_PROPOSAL_STATUSES
    )
    return sorted(
        set(by_case.values_list("member_id", flat=True))
        | set(by_match.values_list("member_id", flat=True))
    )


def _record(worker_ids: list[int], member_ids: list[int]) -> LearningRecord:
    enrollments = list(
        Enrollment.objects.filter(worker__in=worker_ids)
        .select_related("training_class", "training_class__organizer")
        .order_by("-training_class__starts_on", "-id")
    )
    attendances = list(
        Attendance.objects.filter(worker__in=worker_ids)
        .select_related("session", "session__training_class", "session__course")
        .order_by("-session__starts_at", "-id")
    )
    hours = Attendance.objects.filter(worker__in=worker_ids).aggregate(
        h=Coalesce(Sum("session__hours"), Value(Decimal("0")))
    )["h"]
    lessons = list(
        PartyLesson.objects.filter(attendees__in=member_ids)
        .select_related("organization")
        .distinct()
        .order_by("-given_on", "-id")
    )
    progress = ResourceProgress.objects.filter(worker__in=worker_ids)
    completed = list(
        progress.filter(completed_at__isnull=False)
        .select_related("resource", "resource__pack")
        .order_by("-completed_at", "-id")
    )
    return LearningRecord(
        enrollments=enrollments,
        attendances=attendances,
        hours=Decimal(hours).quantize(Decimal("0.1")),
        lessons=lessons,
        resources_completed=completed,
        resources_viewed=progress.count(),
    )


def openable_workers(user: Any, worker_ids: list[int]) -> frozenset[int]:
    """Which of these workers' learning records ``user`` may open (one query)."""
    return scoping.openable_ids(Worker, user, worker_ids)


def worker_record(user: Any, worker_id: int) -> tuple[Worker, LearningRecord]:
    """A worker's learning record; the worker must be visible to ``user`` (else
    ``Worker.DoesNotExist``). The record is the worker's whole record, whoever organized the
    classes: seeing the person means seeing what they learned. Party lessons come from the
    member the two finds identified them as, if any."""
    worker = visible(Worker, user).get(pk=worker_id)
    return worker, _record([worker.pk], _linked_member_ids([worker.pk]))


def member_record(user: Any, member_id: int) -> tuple[PartyMember, LearningRecord]:
    """A party member's learning record: lessons they attended, and the classes, sessions and
    resources of the workers the two finds identified them as."""
    member = visible(PartyMember, user).get(pk=member_id)
    return member, _record(_linked_worker_ids([member.pk]), [member.pk])
