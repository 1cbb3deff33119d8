"""Demo mobile members and the organization tree's deliberate warnings.

- Activity cards (流动党员活动证): some mobile members hold one issued and reviewed, some
  issued and not yet reviewed, the rest none.
- Transfer letters in every state: a draft, an issued one still valid, an expired one, a
  received one (the relation moved to a local branch) and a returned one.
- The tree is kept in order by ``demo.members.allocate_members`` and the organizations' plan;
  a few deliberate cases show its warnings: members out of contact for more than 6 months
  (due for the suspension decision) and an organization whose term is over (换届提醒).

Everything goes through the services the portal uses (members.services.mobile / people,
organizations.services). Run once, inside the people area's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from members.models import PartyMember, TransferLetter
from members.services.mobile import (
    activity_card_issue,
    activity_card_review,
    letter_draft_and_issue,
)
from members.services.people import (
    letter_create,
    letter_issue,
    letter_receive,
    letter_return,
    letters_expire,
    member_update,
)
from organizations.choices import OrganizationKind, OrganizationStatus
from organizations.models import PartyOrganization
from organizations.services import organization_update

CARDS_REVIEWED = 4
CARDS_ISSUED = 4
#: Members deliberately out of contact for 8 months (the tree's suspension flag).
LOST_CONTACT_MEMBERS = 3


def _branches() -> list[PartyOrganization]:
    return list(
        PartyOrganization.objects.filter(
            status=OrganizationStatus.ACTIVE, kind=OrganizationKind.BRANCH
        ).order_by("code")
    )


def seed_mobile(*, actor: Any) -> dict[str, int]:
    """Cards and letters for the demo's mobile members; returns counts by kind."""
    today = timezone.localdate()
    mobile = list(PartyMember.objects.filter(is_mobile=True).order_by("member_id")[:20])
    counts = {"cards_reviewed": 0, "cards_issued": 0}
    for n, member in enumerate(mobile[: CARDS_REVIEWED + CARDS_ISSUED]):
        member = activity_card_issue(
            actor=actor,
            member=member,
            number=f"LD{2026_0000 + n + 1}",
            issued_on=today - dt.timedelta(days=200 + 10 * n),
        )
        if n < CARDS_REVIEWED:
            activity_card_review(
                actor=actor, member=member, reviewed_on=today - dt.timedelta(days=20 + n)
            )
            counts["cards_reviewed"] += 1
        else:
            counts["cards_issued"] += 1
    branches = _branches()
    letters = mobile[CARDS_REVIEWED + CARDS_ISSUED : CARDS_REVIEWED + CARDS_ISSUED + 5]
    if not branches or len(letters) < 5:
        return counts
    draft, issued, expired, received, returned = letters

    def data(member: PartyMember, k: int) -> dict[str, Any]:
        return {
            "member": member,
            "from_organization_name": member.home_organization_name or "外省党组织",
            "to_organization": branches[k % len(branches)],
            "letter_number": f"JS{today:%Y}{k + 1:04d}",
        }

    letter_create(actor=actor, data=data(draft, 0))
    letter_draft_and_issue(
        actor=actor, data=data(issued, 1), valid_until=today + dt.timedelta(days=60)
    )
    old = letter_create(actor=actor, data=data(expired, 2))
    letter_issue(
        actor=actor,
        letter=old,
        issued_on=today - dt.timedelta(days=100),
        valid_until=today - dt.timedelta(days=10),
    )
    letters_expire(today=today)
    done = letter_draft_and_issue(
        actor=actor, data=data(received, 3), valid_until=today + dt.timedelta(days=30)
    )
    letter_receive(actor=actor, letter=done)
    back = letter_draft_and_issue(
        actor=actor, data=data(returned, 4), valid_until=today + dt.timedelta(days=30)
    )
    letter_return(actor=actor, letter=back, note="本人已离开本市，介绍信退回")
    counts["letters"] = TransferLetter.objects.count()
    return counts


def tidy_branches(*, actor: Any) -> int:
    """After the two-finds cases moved some relations (a found member transferred to another
    branch), bring every branch back to 3 full members, from the largest branches: the tree
    stays in order but for the deliberate cases. Returns how many members moved."""
    from members.selectors import organization_member_counts

    from .members import deliberately_small

    today = timezone.localdate()
    branches = list(
        PartyOrganization.objects.filter(
            status=OrganizationStatus.ACTIVE,
            kind__in=(OrganizationKind.BRANCH, OrganizationKind.JOINT_BRANCH),
        ).order_by("code")
    )
    keep = deliberately_small([(o.code, o.kind) for o in branches])
    counts = organization_member_counts([o.pk for o in branches], today)
    full = {o.pk: counts[o.pk].full if o.pk in counts else 0 for o in branches}
    donors = sorted((o for o in branches if full[o.pk] > 3), key=lambda o: (-full[o.pk], o.code))
    moved = 0
    for organization in branches:
        if organization.code in keep:
            continue
        while full[organization.pk] < 3 and donors:
            donor = donors[0]
            member = (
                PartyMember.objects.filter(
                    organization=donor,
                    status="full",
                    host_organization__isnull=True,
                    lost_contact_since__isnull=True,
                )
                .order_by("member_id")
                .first()
            )
            if member is None or full[donor.pk] <= 3:
                donors.pop(0)
                continue
            member_update(actor=actor, member=member, data={"organization": organization})
            full[donor.pk] -= 1
            full[organization.pk] += 1
            moved += 1
    return moved


def seed_rule_cases(*, actor: Any) -> None:
    """The tree's deliberate warnings: a few members out of contact for 8 months, and one
    branch whose term ended (the rest of the tree is in order)."""
    tidy_branches(actor=actor)
    today = timezone.localdate()
    local = PartyMember.objects.filter(
        is_mobile=False,
        organization__kind=OrganizationKind.BRANCH,
        lost_contact_since__isnull=True,
        status="full",
    ).order_by("member_id")
    for member in local[:LOST_CONTACT_MEMBERS]:
        member_update(
            actor=actor,
            member=member,
            data={"lost_contact_since": today - dt.timedelta(days=240)},
        )
    branches = _branches()
    if len(branches) > 2:
        organization_update(
            actor=actor,
            organization=branches[2],
            data={"term_ends_on": today - dt.timedelta(days=30)},
        )
