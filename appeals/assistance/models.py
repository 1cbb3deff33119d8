"""Assistance funds (帮扶资金) and their disbursements (发放) — DESIGN.md §6, appeals.

A fund has a money budget and, optionally, in-kind stock items (e.g. fever tablets by the box)
with a quantity budget each. A disbursement gives either money or a quantity of one in-kind
item to exactly one beneficiary (a worker or a party member). The invariant "never more than
the fund" is kept by ``appeals.assistance.services``: every disbursement and every budget
change locks the fund row first, then sums what is already given. Rows are never deleted or
edited: a mistake is cancelled (with a reason), which releases its amount.

Scope: a fund belongs to its owner organization (and that organization's region); items and
disbursements are visible wherever their fund is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.defaults import this_year
from members.models import PartyMember, Worker
from organizations.models import PartyOrganization
from organizations.scoping import ScopeRule

from .choices import DisbursementPurpose, DisbursementStatus, FundSource, FundStatus

__all__ = ["MONEY_DIGITS", "MONEY_PLACES", "AssistanceFund", "Disbursement", "FundInKindItem"]

MONEY_DIGITS = 14
MONEY_PLACES = 2


def fund_scope(prefix: str = "") -> ScopeRule:
    """A fund and what hangs off it: the owner organization's subtree and its region."""
    p = f"{prefix}__" if prefix else ""
    return ScopeRule(organization=f"{p}owner_organization", region=f"{p}owner_organization__region")


class AssistanceFund(models.Model):
    """A fund for aid to workers and members (帮扶资金), e.g. the year's special party fees.

    ``budget`` can be raised at any time; lowering it below what is already disbursed is
    refused by ``fund_update``. A closed fund takes no new disbursements.
    """

    scope = fund_scope()

    name = models.CharField(_("name"), max_length=128)
    source = models.CharField(_("source"), max_length=24, choices=FundSource.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        default=this_year,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    budget = models.DecimalField(
        _("budget (yuan)"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=[MinValueValidator(Decimal("0"))],
    )
    owner_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="assistance_funds",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=FundStatus.choices, default=FundStatus.ACTIVE
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assistance fund")
        verbose_name_plural = _("assistance funds")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.CheckConstraint(
                name="assistance_fund_budget_not_negative", condition=Q(budget__gte=0)
            ),
            models.UniqueConstraint(
                fields=["owner_organization", "year", "name"], name="assistance_fund_unique_name"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"


class FundInKindItem(models.Model):
    """An in-kind stock item of a fund (e.g. 退烧药, by the box) and how many may be given."""

    scope = fund_scope("fund")

    fund = models.ForeignKey(
        AssistanceFund,
        verbose_name=_("fund"),
        on_delete=models.CASCADE,  # a given item is protected by its disbursements
        related_name="items",
    )
    name = models.CharField(_("item"), max_length=64)
    unit = models.CharField(_("unit"), max_length=16, help_text=_("For example: box, bag, piece."))
    quantity_budget = models.PositiveIntegerField(_("quantity available"))

    class Meta:
        verbose_name = _("in-kind item")
        verbose_name_plural = _("in-kind items")
        ordering = ["fund", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "name"], name="fund_item_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Disbursement(models.Model):
    """One act of aid (发放): money or a quantity of one in-kind item, to one beneficiary.

    Exactly one of ``worker``/``member`` (a check constraint), and exactly one of ``amount`` or
    ``item`` + ``quantity`` (another). Made only by ``disbursement_create``, which refuses to
    exceed the fund; never edited or deleted — ``disbursement_cancel`` marks it cancelled.

    ``appeal`` is the appeal this aid answers, if any (the faces take its reference number).
    """

    scope = fund_scope("fund")

    fund = models.ForeignKey(
        AssistanceFund,
        verbose_name=_("fund"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("beneficiary worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_disbursements",
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("beneficiary party member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_disbursements",
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    item = models.ForeignKey(
        FundInKindItem,
        verbose_name=_("in-kind item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=DisbursementPurpose.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="approved_disbursements",
    )
    disbursed_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
        help_text=_("The appeal this aid answers, if any."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.DISBURSED,
        editable=False,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cancelled_disbursements",
        editable=False,
    )
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-disbursed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="disbursement_one_beneficiary",
                condition=(Q(worker__isnull=False, member__isnull=True))
                | (Q(worker__isnull=True, member__isnull=False)),
                violation_error_message=_("Choose either a worker or a party member."),
            ),
            models.CheckConstraint(
                name="disbursement_money_or_in_kind",
                condition=(
                    Q(amount__isnull=False, amount__gt=0, item__isnull=True, quantity__isnull=True)
                )
                | (
                    Q(amount__isnull=True, item__isnull=False, quantity__isnull=False)
                    & Q(quantity__gt=0)
                ),
                violation_error_message=_("Give either an amount or an in-kind item and quantity."),
            ),
            models.CheckConstraint(
                name="disbursement_cancel_has_reason",
                condition=Q(status="disbursed") | ~Q(cancel_reason=""),
            ),
        ]
        indexes = [
            models.Index(fields=["fund", "status"]),
            models.Index(fields=["item", "status"]),
            models.Index(fields=["disbursed_on"]),
        ]

    def __str__(self) -> str:
        what = f"¥{self.amount}" if self.amount is not None else f"{self.quantity} × {self.item_id}"
        return f"{self.get_purpose_display()} {what}（{self.disbursed_on}）"

    @property
    def beneficiary(self) -> Worker | PartyMember | None:
        return self.worker if self.worker_id else self.member

    @property
    def is_in_kind(self) -> bool:
        return self.item_id is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == DisbursementStatus.CANCELLED

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if bool(self.worker_id) == bool(self.member_id):
            errors["worker" if not self.worker_id else "member"] = gettext(
                "Choose either a worker or a party member as the beneficiary."
            )
        in_kind = self.item_id is not None or self.quantity is not None
        if self.amount is not None and in_kind:
            errors["amount"] = gettext("Give an amount of money or an in-kind item, not both.")
        elif self.amount is None and not in_kind:
            errors["amount"] = gettext("Give an amount of money or an in-kind item and quantity.")
        elif in_kind:
            if self.item_id is None:
                errors["item"] = gettext("Choose the in-kind item.")
            elif self.quantity is None:
                errors["quantity"] = gettext("Give the quantity.")
            elif self.fund_id and self.item.fund_id != self.fund_id:
                errors["item"] = gettext("This item belongs to another fund.")
        if isinstance(self.disbursed_on, dt.date) and self.disbursed_on > timezone.localdate():
            errors["disbursed_on"] = gettext("The date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
