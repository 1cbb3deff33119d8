"""Found-member cases and their immutable events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableRecord
from core.userfields import user_reference
from organizations.models import Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from ..choices import CaseOrigin, CaseStatus
from .claims import MemberClaim
from .people import PartyMember, Worker
from .proposals import MatchProposal


class Case(models.Model):
    """A found member followed until they are placed (回家) or the case is closed.

    A case starts from an accepted match proposal, a worker who declared membership, or a
    member's own report. Every change of ``status`` is a :class:`CaseEvent`; an open case has an
    ``owner`` and a ``due_on`` date for its next action.
    """

    scope = ScopeRule(
        organization=("organization", "member__organization", "member__host_organization"),
        region="region",
        industry="industry",
    )

    origin = models.CharField(_("origin"), max_length=16, choices=CaseOrigin.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.DISCOVERED,
        db_index=True,
    )
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    proposal = models.OneToOneField(
        MatchProposal,
        verbose_name=_("match proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    claim = models.OneToOneField(
        MemberClaim,
        verbose_name=_("member report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("local branch placed in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="found_member_cases",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_member_cases",
    )
    due_on = models.DateField(_("next action due on"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("found-member case")
        verbose_name_plural = _("found-member cases")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(worker__isnull=False) & Q(member__isnull=True),
                name="one_unmatched_case_per_worker",
            ),
            models.UniqueConstraint(
                fields=["worker", "member"],
                condition=Q(worker__isnull=False) & Q(member__isnull=False),
                name="one_case_per_worker_member",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        person = self.member or self.worker or self.claim
        return f"#{self.pk} {person} · {self.get_status_display()}"


class CaseEvent(ImmutableRecord):
    """One step of a case: from which status to which, by whom, when, with a note. Never
    changed or deleted once written (``core.models.ImmutableRecord``)."""

    scope = ScopeRule(
        organization=(
            "case__organization",
            "case__member__organization",
            "case__member__host_organization",
        ),
        region="case__region",
        industry="case__industry",
    )

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=CaseStatus.choices)
    actor = user_reference(_("actor"))
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '—'} → {self.to_status}"
