"""Reads of the members app: each takes the acting user and returns a scoped queryset."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Window
from django.utils import timezone

from organizations import scoping
from organizations.choices import GrantKind, OrganizationStatus
from organizations.models import PartyOrganization
from organizations.scoping import is_city_wide, visible

from .choices import (
    ACCEPTED_PROPOSAL_STATUSES,
    CLOSED_CASE_STATUSES,
    DECLARED_MEMBER_STATUSES,
    CaseStatus,
    MemberStatus,
    ProposalStatus,
)
from .models import Case, CaseEvent, MatchProposal, PartyMember, TransferLetter, Worker
from .services.cases import PLACEMENT_KINDS


def can_see_political_status(user: Any) -> bool:
    """Political status is sensitive (DESIGN.md §5): scoped staff see it, partner systems
    (whose only grant is their platform) never read it back."""
    grants = scoping.grants_for(user)
    return bool(grants.city_wide or grants.organizations or grants.regions)


def worker_by_reference(
    *, user: Any, pk: int | None = None, source: str = "", external_id: str = ""
) -> Worker | None:
    """A worker ``user`` can see, by portal id or by roster source and id in it (what a partner
    app knows); ``None`` alike for an unknown worker and one outside the user's scope."""
    if pk:
        return scoping.resolve(Worker, user, pk=pk)
    if source and external_id:
        return scoping.resolve(Worker, user, source=source, external_id=external_id)
    return None


def members_for(user: Any) -> QuerySet[PartyMember]:
    return scoping.restrict(
        PartyMember.objects.select_related(
            "organization", "host_organization", "region", "industry"
        ),
        user,
    )


def letters_for(user: Any) -> QuerySet[TransferLetter]:
    return scoping.restrict(
        TransferLetter.objects.select_related(
            "member", "member__organization", "member__host_organization", "to_organization"
        ),
        user,
    )


# --- the two finds ---------------------------------------------------------------------------

_PERSON_RELATED = (
    "worker__industry",
    "worker__region",
    "worker__enterprise",
    "member__organization",
    "member__host_organization",
    "member__region",
    "member__industry",
)

_CASE_RELATED = (
    *_PERSON_RELATED,
    "claim",
    "organization",
    "region",
    "industry",
    "owner",
    "proposal",
)


def proposals_for_review(user: Any) -> QuerySet[MatchProposal]:
    """Proposals waiting for a decision, those whose decision would change most first (the
    most uncertain: ``uncertainty``), a member's competing proposals together and best
    first among them."""
    group = Window(Max("uncertainty"), partition_by=[F("member_id")])
    return (
        visible(MatchProposal, user)
        .filter(status=ProposalStatus.PROPOSED)
        .select_related(*_PERSON_RELATED)
        .annotate(group_uncertainty=group)
        .order_by("-group_uncertainty", "member_id", "-score", "id")
    )


def cases(user: Any) -> QuerySet[Case]:
    """Every case the user may see, with what its pages show."""
    return visible(Case, user).select_related(*_CASE_RELATED)


def case_events(user: Any, case: Case) -> QuerySet[CaseEvent]:
    return visible(CaseEvent, user).filter(case=case).select_related("actor").order_by("at", "id")


def baseline_cases(user: Any) -> QuerySet[Case]:
    """The baseline list (底数清单): every member identified among workers.

    A case with a party member (every accepted proposal opens one: confirmed in the review
    queue, or auto-accepted by the matcher), or a member's own report; not the cases closed
    as "not a match".
    """
    return (
        cases(user)
        .filter(
            Q(member__isnull=False)
            | Q(claim__isnull=False)
            | Q(proposal__status__in=ACCEPTED_PROPOSAL_STATUSES)
        )
        .exclude(status=CaseStatus.REJECTED)
        .order_by("-created_at", "-id")
    )


def task_cases(user: Any) -> QuerySet[Case]:
    """The task list (任务清单): open cases waiting for an action, the most urgent first."""
    return cases(user).exclude(status__in=CLOSED_CASE_STATUSES).order_by("due_on", "id")


def reached_field(status: str) -> str:
    """The name of the annotation holding when a case first reached ``status``."""
    return f"reached_{status}"


def progress_cases(user: Any) -> QuerySet[Case]:
    """The progress list (进度清单): every case with the time it first reached each status,
    as ``reached_<status>`` annotations (one correlated subquery per status, no GROUP BY)."""
    annotations = {
        reached_field(status): Subquery(
            CaseEvent.objects.filter(case=OuterRef("pk"), to_status=status)
            .order_by("at", "id")
            .values("at")[:1]
        )
        for status in CaseStatus.values
    }
    return cases(user).annotate(**annotations).order_by("-created_at", "-id")


def workers_to_verify(user: Any) -> QuerySet[Worker]:
    """Active workers who declare party membership (probationary or full) but are not linked to
    any member record: no accepted or confirmed proposal and no case with a member."""
    accepted = MatchProposal.objects.filter(
        worker=OuterRef("pk"), status__in=ACCEPTED_PROPOSAL_STATUSES
    )
    with_member = Case.objects.filter(worker=OuterRef("pk"), member__isnull=False)
    return (
        visible(Worker, user)
        .filter(active=True, political_status__in=DECLARED_MEMBER_STATUSES)
        .filter(~Exists(accepted), ~Exists(with_member))
        .select_related("industry", "region", "enterprise", "platform")
        .order_by("-last_seen", "-id")
    )


def placeable_organizations(user: Any) -> QuerySet[PartyOrganization]:
    """Active branches in the user's scope a found member can be placed in (回家)."""
    return (
        visible(PartyOrganization, user)
        .filter(kind__in=PLACEMENT_KINDS, status=OrganizationStatus.ACTIVE)
        .order_by("path")
    )


def case_owner_choices(user: Any):
    """Users a case can be handed to: the user and the staff holding a grant inside the user's
    scope (everyone but partner systems for a city-wide user)."""
    users = get_user_model().objects.filter(is_active=True)
    if is_city_wide(user):
        staff = Q(scope_grants__kind__in=[GrantKind.CITY, GrantKind.ORGANIZATION, GrantKind.REGION])
    else:
        staff = Q(
            scope_grants__kind=GrantKind.ORGANIZATION,
            scope_grants__organization__in=visible(PartyOrganization, user),
        )
    ids = users.filter(staff | Q(pk=user.pk)).values("pk")
    return users.filter(pk__in=ids).order_by("username")


def is_overdue(case: Case, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        case.status not in CLOSED_CASE_STATUSES and case.due_on is not None and case.due_on < today
    )


def two_finds_status(user: Any) -> dict[str, Any]:
    """When the two finds last ran and what that run found *in the user's scope*: the last
    finished run, the run under way (if any) and the proposals of the last finished run the
    user sees, by outcome (pairs proposed earlier and met again are not counted twice)."""
    from core.choices import JobStatus
    from core.models import JobRun

    from .services.two_finds import JOB_KIND

    runs = JobRun.objects.filter(kind=JOB_KIND)
    last = runs.filter(status=JobStatus.SUCCEEDED).order_by("-finished_at", "-id").first()
    current = runs.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).first()
    found: dict[str, int] = {}
    if last is not None:
        counts = (
            visible(MatchProposal, user)
            .filter(job=last)
            .values_list("status")
            .annotate(n=models.Count("pk"))
        )
        found = dict(counts)
    return {
        "last": last,
        "current": current,
        "auto_accepted": found.get(ProposalStatus.AUTO_ACCEPTED, 0)
        + found.get(ProposalStatus.CONFIRMED, 0),
        "waiting": found.get(ProposalStatus.PROPOSED, 0),
        "rejected": found.get(ProposalStatus.REJECTED, 0),
        "found": sum(found.values()),
    }


def organization_member_counts(organization_ids: list[int], today) -> dict[int, Any]:
    """Full and probationary members whose relation each organization holds, and the members
    each holds or hosts (the host decides first) who have been out of contact for more than
    6 months (due for the suspension decision). Two queries; registered as the provider of
    :data:`organizations.health.MEMBER_COUNTS`."""
    from django.db.models import Count
    from django.db.models.functions import Coalesce

    from organizations.health import MemberCounts

    held = dict.fromkeys(organization_ids)
    rows = (
        PartyMember.objects.filter(organization_id__in=organization_ids)
        .values("organization_id")
        .annotate(
            full=Count("pk", filter=Q(status=MemberStatus.FULL)),
            probationary=Count("pk", filter=Q(status=MemberStatus.PROBATIONARY)),
        )
        .order_by()
    )
    counts = {r["organization_id"]: [r["full"], r["probationary"], 0] for r in rows}
    due = (
        suspension_due_members(today)
        .annotate(deciding=Coalesce("host_organization_id", "organization_id"))
        .filter(deciding__in=organization_ids)
        .values("deciding")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in due:
        counts.setdefault(r["deciding"], [0, 0, 0])[2] = r["n"]
    return {pk: MemberCounts(*c) for pk, c in counts.items() if pk in held}


def suspension_due_members(today=None) -> QuerySet[PartyMember]:
    """Full and probationary members out of contact for more than 6 months (unscoped: callers
    restrict it)."""
    from .services.people import SUSPEND_AFTER_MONTHS, months_before

    limit = months_before(today or timezone.localdate(), SUSPEND_AFTER_MONTHS)
    return PartyMember.objects.filter(
        status__in=(MemberStatus.FULL, MemberStatus.PROBATIONARY),
        lost_contact_since__lte=limit,
    )


def suspension_due_for(user: Any, *, organization: PartyOrganization | None = None):
    """The members ``user`` may see who are due for the suspension decision, in the subtree
    of ``organization`` if given (held or hosted there)."""
    queryset = scoping.restrict(suspension_due_members(), user).select_related(
        "organization", "host_organization"
    )
    if organization is not None:
        queryset = queryset.filter(
            Q(host_organization__path__startswith=organization.path)
            | Q(host_organization__isnull=True, organization__path__startswith=organization.path)
        )
    return queryset.order_by("lost_contact_since", "member_id")
