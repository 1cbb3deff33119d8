"""The points ledger (积分): an account per volunteer, append-only entries, a catalogue of
rewards at stations and the redemptions made there.

The balance lives on the account row, which every write locks first
(``SELECT ... FOR UPDATE``), so two debits racing on one account queue and the second sees
the first; a check constraint backs it: the balance can never go negative.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.userfields import user_reference
from stations.models import Station, station_scope

from ..choices import EntryKind
from .tasks import Claim
from .volunteers import Volunteer, worker_scope


class PointsAccount(models.Model):
    scope = worker_scope("volunteer__worker")

    volunteer = models.OneToOneField(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="account"
    )
    balance = models.IntegerField(_("balance"), default=0)
    earned_total = models.PositiveIntegerField(_("earned in all"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [
            models.CheckConstraint(name="grid_balance_not_negative", condition=Q(balance__gte=0))
        ]
        indexes = [models.Index(fields=["-balance"], name="grid_account_balance")]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.balance}"


class RewardItem(models.Model):
    """An item or service a station gives for points (e.g. a drink, a phone charge, a haircut)."""

    scope = station_scope("station")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="grid_rewards"
    )
    name = models.CharField(_("item or service"), max_length=80)
    cost = models.PositiveIntegerField(_("points"), validators=[MinValueValidator(1)])
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["station", "cost", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "name"], name="grid_reward_unique_name"),
            models.CheckConstraint(
                name="grid_reward_stock_not_negative", condition=Q(stock__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.cost}）"


class Redemption(models.Model):
    """Points spent at a station for a reward; its ledger entry points back here."""

    scope = worker_scope("account__volunteer__worker")

    account = models.ForeignKey(
        PointsAccount,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    item = models.ForeignKey(
        RewardItem, verbose_name=_("reward"), on_delete=models.PROTECT, related_name="redemptions"
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    points = models.PositiveIntegerField(_("points"))
    actor = user_reference(_("recorded by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"


class PointsEntry(models.Model):
    """One line of the ledger: never edited, never deleted (a mistake is a staff adjustment)."""

    scope = worker_scope("account__volunteer__worker")

    account = models.ForeignKey(
        PointsAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    points = models.IntegerField(_("points"))
    balance_after = models.PositiveIntegerField(_("balance after"))
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    redemption = models.OneToOneField(
        Redemption,
        verbose_name=_("redemption"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entry",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    actor = user_reference(_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-at", "-id"]
        constraints = [
            # a verified claim earns once.
            models.UniqueConstraint(
                fields=["claim"], condition=Q(kind="earned"), name="grid_entry_earned_once"
            )
        ]
        indexes = [models.Index(fields=["account", "at"], name="grid_entry_account_at")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.points:+d}"
