"""What the self-report form's notice promises (``members/_report_notice.html``): a report's
personal information is kept while it is followed up and :data:`RETENTION_YEARS` after its
case is closed, then made anonymous (``core.retention``).

The report stays (its reference, channel, region, industry, enterprise and date count in the
two finds' figures) and so does its case; what goes is who reported: the name, resident ID
and phone (with their blind indexes), the home organization, the employer and the place of
work. A party member found through the report is a member record of its own and stays.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core import retention

from ..choices import CLOSED_CASE_STATUSES
from ..models import MemberClaim

#: Years a report keeps its personal information after its case closed (on the notice).
RETENTION_YEARS = 3
CLEARED = {
    "name": "",
    "id_number": "",
    "phone": "",
    "home_organization_name": "",
    "employer_name": "",
    "work_place": "",
}


def past_retention(now: dt.datetime | None = None) -> QuerySet[MemberClaim]:
    """Reports, not yet anonymous, whose case closed before the period's start."""
    return MemberClaim.objects.filter(
        case__status__in=CLOSED_CASE_STATUSES,
        case__closed_at__lt=retention.cutoff(RETENTION_YEARS, now),
        anonymized_at__isnull=True,
    )


def claims_anonymize_past_retention(*, actor: Any = "members.retention", now=None) -> int:
    """Make every report past its retention period anonymous; returns how many. Runs nightly
    (``members.tasks.anonymize_past_retention``); safe to run twice."""
    now = now or timezone.now()
    return retention.anonymize(
        actor=actor,
        queryset=past_retention(now),
        cleared=CLEARED,
        verb="member_claim_anonymize",
        now=now,
    )
