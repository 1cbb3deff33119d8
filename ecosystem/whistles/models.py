"""Enterprise whistle, department report (企业吹哨·部门报到) along industry chains.

- :class:`IndustryChain` 产业链: one chain (新能源汽车及汽车核心零部件 …) run by its chain
  committee (``OrganizationKind.CHAIN_COMMITTEE``) under the comprehensive committee.
- :class:`ChainEnterprise`: an enterprise on a chain (its chain leader 链主 flagged). Kept here,
  not in ``organizations.Enterprise``: chain manufacturers are not units of the new employment
  groups, and counting them there would change the two coverages. ``enterprise`` links one
  when it is also such a unit.
- :class:`Policy` 惠企政策: the catalogue of policies for enterprises (reference data).
- :class:`Whistle` 吹哨: a problem raised by an enterprise or its party organization, routed to
  one or more task-force member units (:class:`WhistleAssignment`), each of which must report
  (acknowledge, 报到) and resolve within working-time limits, else the escalation scan raises
  it (``ecosystem.whistles.services.escalation``). Outcomes and their figures are recorded on
  each assignment.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.userfields import user_reference
from organizations.choices import OrganizationKind
from organizations.models import Department, Enterprise, PartyOrganization, Region
from organizations.scoping import ScopeRule

from .choices import AssignmentStatus, RaisedBy, WhistleCategory, WhistleEventKind, WhistleStatus

__all__ = [
    "ChainEnterprise",
    "IndustryChain",
    "Policy",
    "Whistle",
    "WhistleAssignment",
    "WhistleEvent",
]


class IndustryChain(models.Model):
    """An industry chain and the chain committee that runs its party building."""

    scope = ScopeRule(organization="committee")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    committee = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("chain committee"),
        on_delete=models.PROTECT,
        related_name="industry_chains",
        limit_choices_to={"kind": OrganizationKind.CHAIN_COMMITTEE},
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.committee_id and self.committee.kind != OrganizationKind.CHAIN_COMMITTEE:
            raise ValidationError(
                {"committee": gettext("An industry chain is run by an industry-chain committee.")}
            )


class ChainEnterprise(models.Model):
    """An enterprise on an industry chain."""

    scope = ScopeRule(organization=("chain__committee", "party_organization"), region="region")

    chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("industry chain"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    name = models.CharField(_("name"), max_length=128)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    is_leader = models.BooleanField(_("chain leader (链主)"), default=False)
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("its party organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chain_enterprises",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("unit in the enterprise register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("chain enterprise")
        verbose_name_plural = _("chain enterprises")
        ordering = ["chain", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="chain_enterprise_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Policy(models.Model):
    """A policy for enterprises (惠企政策) and the whistles it served (``whistles``)."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=WhistleCategory.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("policy for enterprises")
        verbose_name_plural = _("policies for enterprises")
        ordering = ["-issued_on", "title"]

    def __str__(self) -> str:
        return self.title


class Whistle(models.Model):
    """A problem an enterprise on a chain (or its party organization) raises."""

    scope = ScopeRule(
        organization="chain__committee",
        region="enterprise__region",
        department="assignments__department",
        submitted_by="submitted_by",
    )

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("industry chain"),
        on_delete=models.PROTECT,
        related_name="whistles",
    )
    enterprise = models.ForeignKey(
        ChainEnterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="whistles",
    )
    raised_by = models.CharField(
        _("raised by"), max_length=24, choices=RaisedBy.choices, default=RaisedBy.ENTERPRISE
    )
    category = models.CharField(_("category"), max_length=16, choices=WhistleCategory.choices)
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=WhistleStatus.choices,
        default=WhistleStatus.RAISED,
        db_index=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    policies = models.ManyToManyField(
        Policy, verbose_name=_("policies applied"), blank=True, related_name="whistles"
    )
    submitted_by = user_reference(_("submitted by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self):
        super().clean()
        if self.enterprise_id and self.chain_id and self.enterprise.chain_id != self.chain_id:
            raise ValidationError(
                {"enterprise": gettext("This enterprise is not on the chosen industry chain.")}
            )


class WhistleAssignment(models.Model):
    """One responsible department of a whistle (部门报到): it reports (acknowledges), then
    resolves with the outcome's figures; ``due_at`` is the working-time deadline of its current
    step, watched by the escalation scan."""

    scope = ScopeRule(
        organization="whistle__chain__committee",
        region="whistle__enterprise__region",
        department="department",
    )

    whistle = models.ForeignKey(
        Whistle, verbose_name=_("whistle"), on_delete=models.CASCADE, related_name="assignments"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0)
    supervisor = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("supervised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set by the escalation scan: the organization now pressing for an answer."),
    )
    report_note = models.TextField(_("report"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    loan_amount = models.DecimalField(
        _("loans coordinated (yuan)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    talents_introduced = models.PositiveIntegerField(_("talents introduced"), default=0)
    approval_obtained = models.BooleanField(_("approval obtained"), default=False)

    class Meta:
        verbose_name = _("department assignment")
        verbose_name_plural = _("department assignments")
        ordering = ["whistle", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["whistle", "department"], name="whistle_assignment_unique_department"
            ),
            models.CheckConstraint(
                name="whistle_assignment_loan_not_negative", condition=Q(loan_amount__gte=0)
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="whistle_assignment_due")]

    def __str__(self) -> str:
        return f"{self.whistle.reference} · {self.department}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != AssignmentStatus.RESOLVED
            and self.due_at is not None
            and self.due_at <= timezone.now()
        )


class WhistleEvent(models.Model):
    """An immutable step of a whistle: raised, routed, reported, resolved, escalated, closed."""

    scope = ScopeRule(
        organization="whistle__chain__committee",
        region="whistle__enterprise__region",
        department="whistle__assignments__department",
    )

    whistle = models.ForeignKey(
        Whistle, verbose_name=_("whistle"), on_delete=models.CASCADE, related_name="events"
    )
    assignment = models.ForeignKey(
        WhistleAssignment,
        verbose_name=_("department assignment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=WhistleEventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = user_reference(_("by"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("whistle event")
        verbose_name_plural = _("whistle events")
        ordering = ["whistle", "at", "id"]

    def __str__(self) -> str:
        return f"{self.whistle.reference} {self.get_kind_display()}"
