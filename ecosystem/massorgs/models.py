"""Mass organizations the party leads (一引三带): the union, the youth league and the women's
federation, attached to an enterprise, an industry or a region, each led by a party
organization; and their service projects — care classes (爱心托管班), labour-dispute mediation
(with cases, which can start from an appeal), start-up credit referrals, home improvements.

Scope: an organization by its leading party organization, its region and (for one attached to
an industry) its industry; projects and cases wherever their organization is.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.models import Enterprise, Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from .choices import Attachment, MassOrgKind, MediationStatus, ProjectKind

__all__ = ["MassOrganization", "MediationCase", "ServiceProject"]


def _scope(prefix: str = "") -> ScopeRule:
    p = f"{prefix}__" if prefix else ""
    return ScopeRule(
        organization=f"{p}leading_organization", region=f"{p}region", industry=f"{p}industry"
    )


class MassOrganization(models.Model):
    """A union, youth-league or women's-federation organization."""

    scope = _scope()

    kind = models.CharField(_("kind"), max_length=24, choices=MassOrgKind.choices)
    name = models.CharField(_("name"), max_length=128)
    attachment = models.CharField(_("attached to"), max_length=16, choices=Attachment.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mass_organizations",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    leading_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("leading party organization"),
        on_delete=models.PROTECT,
        related_name="mass_organizations",
    )
    member_count = models.PositiveIntegerField(_("members"), default=0)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("mass organization")
        verbose_name_plural = _("mass organizations")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="mass_organization_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.attachment == Attachment.ENTERPRISE and not self.enterprise_id:
            errors["enterprise"] = gettext("Choose the enterprise it is attached to.")
        if self.attachment == Attachment.INDUSTRY and not self.industry_id:
            errors["industry"] = gettext("Choose the industry it is attached to.")
        if self.attachment != Attachment.ENTERPRISE and self.enterprise_id:
            errors["enterprise"] = gettext(
                "Only an organization attached to an enterprise has one."
            )
        if (
            self.attachment == Attachment.ENTERPRISE
            and self.enterprise_id
            and self.region_id
            and self.region_id != self.enterprise.region_id
        ):
            errors["region"] = gettext("The region is the enterprise's region.")
        if errors:
            raise ValidationError(errors)


class ServiceProject(models.Model):
    """A service project of a mass organization, with its counts."""

    scope = _scope("organization")

    organization = models.ForeignKey(
        MassOrganization,
        verbose_name=_("mass organization"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ProjectKind.choices)
    name = models.CharField(_("name"), max_length=128)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(
        _("beneficiaries"), default=0, help_text=_("People (or households) served.")
    )
    children_enrolled = models.PositiveIntegerField(_("children enrolled"), default=0)
    sessions = models.PositiveIntegerField(_("sessions held"), default=0)
    amount = models.DecimalField(
        _("credit granted (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["-starts_on", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = gettext("A project cannot end before it starts.")
        if self.kind != ProjectKind.CARE_CLASS and self.children_enrolled:
            errors["children_enrolled"] = gettext("Only a care class enrolls children.")
        if self.kind == ProjectKind.CARE_CLASS and self.children_enrolled > self.beneficiaries:
            errors["beneficiaries"] = gettext(
                "A care class serves at least the children it enrolls."
            )
        if self.kind != ProjectKind.STARTUP_CREDIT and self.amount:
            errors["amount"] = gettext("Only a start-up credit referral grants credit.")
        if errors:
            raise ValidationError(errors)


class MediationCase(models.Model):
    """A labour-dispute mediation case of a mediation project (调解案件), possibly started
    from an appeal."""

    scope = _scope("project__organization")

    project = models.ForeignKey(
        ServiceProject,
        verbose_name=_("mediation project"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("started from appeal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    workers_involved = models.PositiveIntegerField(
        _("workers involved"), default=1, validators=[MinValueValidator(1)]
    )
    amount_recovered = models.DecimalField(
        _("wages recovered (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MediationStatus.choices, default=MediationStatus.OPEN
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.opened_on}"

    def clean(self):
        super().clean()
        errors = {}
        if self.project_id and self.project.kind != ProjectKind.MEDIATION:
            errors["project"] = gettext("A mediation case belongs to a mediation project.")
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = gettext("A case cannot close before it opens.")
        if self.status == MediationStatus.OPEN and self.closed_on:
            errors["closed_on"] = gettext("An open case has no closing date.")
        if self.status != MediationStatus.OPEN and not self.closed_on:
            errors["closed_on"] = gettext("A settled or failed case needs its closing date.")
        if errors:
            raise ValidationError(errors)
