"""Reads of elections: the records, and the organizations whose term has ended with no
election recorded since (换届 overdue), or that have no term on record at all."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from organizations.choices import OrganizationStatus
from organizations.models import PartyOrganization
from organizations.scoping import visible

from ..models import Election


def elections_for(user) -> QuerySet[Election]:
    return visible(Election, user).select_related("organization")


def terms_overdue(user, *, today: dt.date) -> QuerySet[PartyOrganization]:
    """Active organizations past their term end without an election held since it, and those
    with no term end and no election on record (``overdue_since`` is the term end, or None)."""
    since_term = Election.objects.filter(
        organization=OuterRef("pk"), held_on__gte=OuterRef("term_ends_on")
    )
    any_election = Election.objects.filter(organization=OuterRef("pk"))
    return (
        visible(PartyOrganization, user)
        .filter(status=OrganizationStatus.ACTIVE)
        .filter(
            Q(term_ends_on__lt=today) & ~Exists(since_term)
            | Q(term_ends_on__isnull=True) & ~Exists(any_election)
        )
        .select_related("parent")
        .order_by("term_ends_on", "path")
    )
