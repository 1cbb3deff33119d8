"""An organization's health by the party's rules (《中国共产党支部工作条例》 and practice): its full
and probationary member counts, and the flags the tree and the dashboard show.

- a branch (党支部) with fewer than 3 full members belongs in a joint branch (联合党支部);
- a branch with more than 50 members would be split or made a general branch;
- a general branch (党总支) is for 50–100 members;
- a primary committee (党委) is for more than 100 members;
- a term (``term_ends_on``) ending within 90 days or already over: elections are due (换届提醒);
- members out of contact for more than 6 months: the branch is due to decide on them (停止党籍),
  from a page one click away (``members:suspension_due``).

Members live in the ``members`` app, which this app cannot import: the counts come from the
provider it registers in :data:`MEMBER_COUNTS` (``members.apps``), in two queries whatever
the number of organizations. Sizes of a general branch or a committee count its whole subtree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import OrganizationKind, OrganizationStatus
from .models import PartyOrganization

BRANCH_MIN_FULL = 3
BRANCH_MAX = 50
GENERAL_BRANCH_RANGE = (50, 100)
PRIMARY_COMMITTEE_MIN = 100
TERM_WARNING_DAYS = 90

#: Kinds a size rule of a branch applies to (a joint branch already gathers small units).
BRANCH_KINDS = frozenset({OrganizationKind.BRANCH, OrganizationKind.JOINT_BRANCH})


@dataclass(frozen=True)
class MemberCounts:
    """Members whose relation the organization holds, and those it should decide on."""

    full: int = 0
    probationary: int = 0
    #: Full or probationary members it holds or hosts, out of contact for 6+ months.
    suspension_due: int = 0


#: ``provider(organization_ids, today) -> {organization id: MemberCounts}``; the members app
#: registers one. Empty: every count is zero.
MEMBER_COUNTS: list[Callable[[list[int], dt.date], dict[int, MemberCounts]]] = []


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    #: "warning" (a rule is broken) or "notice" (something is due soon).
    level: str = "warning"
    url: str = ""


@dataclass
class Health:
    own: MemberCounts = field(default_factory=MemberCounts)
    #: Full and probationary members of the organization and everything under it.
    subtree_full: int = 0
    subtree_probationary: int = 0
    flags: list[Flag] = field(default_factory=list)

    @property
    def members(self) -> int:
        return self.own.full + self.own.probationary

    @property
    def subtree_members(self) -> int:
        return self.subtree_full + self.subtree_probationary


def member_counts(organization_ids: list[int], today: dt.date) -> dict[int, MemberCounts]:
    found: dict[int, MemberCounts] = {}
    for provider in MEMBER_COUNTS:
        found.update(provider(organization_ids, today))
    return found


def health_of(
    organizations: Iterable[PartyOrganization], *, today: dt.date | None = None
) -> dict[int, Health]:
    """The health of each organization (by id). ``organizations`` should be a whole subtree
    ordered by ``path`` for the subtree sizes to be complete (the tree passes what the user
    sees). Two queries for the counts, none per organization."""
    today = today or timezone.localdate()
    organizations = list(organizations)
    counts = member_counts([o.pk for o in organizations], today)
    health = {o.pk: Health(own=counts.get(o.pk, MemberCounts())) for o in organizations}
    # Subtree sums: each organization adds its own counts to every listed ancestor.
    by_path = {o.path: o.pk for o in organizations}
    for o in organizations:
        own = health[o.pk].own
        for path in [*o.ancestors_paths(), o.path]:
            pk = by_path.get(path)
            if pk is not None:
                health[pk].subtree_full += own.full
                health[pk].subtree_probationary += own.probationary
    for o in organizations:
        health[o.pk].flags = flags_of(o, health[o.pk], today)
    return health


def flags_of(organization: PartyOrganization, health: Health, today: dt.date) -> list[Flag]:
    """What the rules call for, for one active organization."""
    if organization.status != OrganizationStatus.ACTIVE:
        return []
    flags: list[Flag] = []
    kind = organization.kind
    if kind == OrganizationKind.BRANCH and health.own.full < BRANCH_MIN_FULL:
        flags.append(
            Flag(
                "branch_too_small",
                _("Fewer than %(min)d full members (%(n)d): they belong in a joint branch.")
                % {"min": BRANCH_MIN_FULL, "n": health.own.full},
            )
        )
    if kind in BRANCH_KINDS and health.subtree_members > BRANCH_MAX:
        flags.append(
            Flag(
                "branch_too_large",
                _("More than %(max)d members (%(n)d): split it or form a general branch.")
                % {"max": BRANCH_MAX, "n": health.subtree_members},
            )
        )
    low, high = GENERAL_BRANCH_RANGE
    if kind == OrganizationKind.GENERAL_BRANCH and not low <= health.subtree_members <= high:
        flags.append(
            Flag(
                "general_branch_size",
                _("A general branch is for %(low)d–%(high)d members; it has %(n)d.")
                % {"low": low, "high": high, "n": health.subtree_members},
            )
        )
    if (
        kind == OrganizationKind.PRIMARY_COMMITTEE
        and health.subtree_members < PRIMARY_COMMITTEE_MIN
    ):
        flags.append(
            Flag(
                "committee_too_small",
                _("A primary committee is for more than %(min)d members; it has %(n)d.")
                % {"min": PRIMARY_COMMITTEE_MIN, "n": health.subtree_members},
            )
        )
    ends = organization.term_ends_on
    if ends is not None and ends < today:
        flags.append(
            Flag(
                "term_over",
                _("Elections overdue: the term ended on %(day)s.") % {"day": ends.isoformat()},
            )
        )
    elif ends is not None and ends <= today + dt.timedelta(days=TERM_WARNING_DAYS):
        flags.append(
            Flag(
                "term_ending",
                _("Elections due: the term ends on %(day)s.") % {"day": ends.isoformat()},
                level="notice",
            )
        )
    if health.own.suspension_due:
        flags.append(
            Flag(
                "suspension_due",
                _(
                    "%(n)d member(s) out of contact for more than 6 months: "
                    "due for the branch's decision."
                )
                % {"n": health.own.suspension_due},
                url=f"{reverse('members:suspension_due')}?organization={organization.pk}",
            )
        )
    return flags


def health_summary(user: Any) -> dict[str, int]:
    """How many organizations in ``user``'s scope raise each flag (for the dashboard)."""
    from .scoping import visible

    organizations = visible(PartyOrganization, user).order_by("path")
    summary: dict[str, int] = {}
    for health in health_of(organizations).values():
        for flag in health.flags:
            summary[flag.code] = summary.get(flag.code, 0) + 1
    return summary
