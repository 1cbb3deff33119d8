"""Party dues (党费): the yearly declaration that sets a member's monthly standard, payments
and the months each covers, and the dues a branch hands up to the higher committee."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.userfields import user_reference
from members.models import PartyMember
from organizations.models import PartyOrganization
from organizations.scoping import ScopeRule

from ..choices import DuesCategory, PaymentChannel

ZERO = Decimal("0.00")


class DuesDeclaration(models.Model):
    """A member's declared monthly income (after tax) for a year and the monthly standard it
    gives (derived by ``declaration_*`` services from the settings' rates)."""

    scope = ScopeRule(
        organization=("member__organization", "member__host_organization"),
        region="member__region",
    )

    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.PROTECT,
        related_name="dues_declarations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(
        _("dues category"),
        max_length=16,
        choices=DuesCategory.choices,
        default=DuesCategory.EMPLOYED,
    )
    monthly_income = models.DecimalField(
        _("monthly income after tax"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
    )
    monthly_standard = models.DecimalField(
        _("monthly dues standard"), max_digits=10, decimal_places=2, editable=False, default=ZERO
    )
    declared_on = models.DateField(_("declared on"))

    class Meta:
        verbose_name = _("dues declaration")
        verbose_name_plural = _("dues declarations")
        ordering = ["-year", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="dues_declared_once_a_year"),
            models.CheckConstraint(
                condition=Q(monthly_income__gte=0), name="dues_income_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.member.name} {self.monthly_standard}"


class DuesPayment(models.Model):
    """One payment: the amount, how it came, its receipt and the months it covers
    (:class:`DuesMonth` rows; a month is covered once only)."""

    scope = ScopeRule(
        organization=("organization", "member__organization"),
        region="organization__region",
        submitted_by="submitted_by",
    )

    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("collecting organization"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    channel = models.CharField(_("channel"), max_length=12, choices=PaymentChannel.choices)
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)
    paid_on = models.DateField(_("paid on"))
    below_standard = models.BooleanField(_("below the standard"), default=False, editable=False)
    submitted_by = user_reference(_("submitted by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="dues_payment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.member.name} {self.amount}"


class DuesMonth(models.Model):
    """A month a payment covers, with its share of the amount and the standard it met or not.
    ``organization`` is the one the member belonged to when paying: the month counts there."""

    scope = ScopeRule(organization="organization", region="organization__region")

    payment = models.ForeignKey(
        DuesPayment, verbose_name=_("payment"), on_delete=models.CASCADE, related_name="months"
    )
    member = models.ForeignKey(
        PartyMember, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    standard = models.DecimalField(
        _("standard"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    below_standard = models.BooleanField(_("below the standard"), default=False)

    class Meta:
        verbose_name = _("month paid")
        verbose_name_plural = _("months paid")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_month_paid_once"),
        ]
        indexes = [models.Index(fields=["organization", "month"], name="dues_month_org")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.amount}"


class DuesHandover(models.Model):
    """Dues a branch hands up to the higher committee (上缴) for a month."""

    scope = ScopeRule(
        organization=("organization", "to_organization"), region="organization__region"
    )

    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("handing organization"),
        on_delete=models.PROTECT,
        related_name="dues_handovers",
    )
    to_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("higher committee"),
        on_delete=models.PROTECT,
        related_name="dues_received",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    handed_on = models.DateField(_("handed on"))
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("dues handover")
        verbose_name_plural = _("dues handovers")
        ordering = ["-month", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="dues_handed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.organization} → {self.to_organization}"

    def clean(self):
        super().clean()
        if self.month and self.month.day != 1:
            raise ValidationError({"month": gettext("Give the first day of the month.")})
