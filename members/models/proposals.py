"""The matcher's proposals "this worker is this member" and the decisions on them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.userfields import user_reference
from organizations.scoping import ScopeRule

from ..choices import MatchRule, ProposalStatus
from .people import PartyMember, Worker


class MatchProposal(models.Model):
    """The matcher's claim "this worker is this party member", with the rule, the per-field
    evidence and the score that produced it, and the decision taken on it.

    One row per (worker, member) pair, ever: a rejected pair stays rejected and is never
    proposed again, and rerunning the matcher cannot duplicate a pair.
    """

    scope = ScopeRule(
        organization=(
            "worker__enterprise__party_organization",
            "member__organization",
            "member__host_organization",
        ),
        region="worker__region",
        industry="worker__industry",
    )

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="proposals"
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    rule = models.CharField(_("rule"), max_length=16, choices=MatchRule.choices)
    score = models.FloatField(_("score"))
    #: How much a reviewer's decision would change what we know (binary entropy of the match
    #: probability, 0–1 bit): the review queue shows the most uncertain first.
    uncertainty = models.FloatField(_("uncertainty"), default=0.0)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
        db_index=True,
    )
    job = models.ForeignKey(
        "core.JobRun",
        verbose_name=_("job run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = user_reference(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "member"], name="one_proposal_per_pair")
        ]
        # The review queue (status, most uncertain first) and the score-ordered lists.
        indexes = [
            models.Index(fields=["status", "-score"], name="members_mat_status_68f03f_idx"),
            models.Index(fields=["status", "-uncertainty"], name="proposal_review_order"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} ≈ {self.member} ({self.score:.1f})"
