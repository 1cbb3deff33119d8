"""Emergency campaigns (守望相助): many tasks at once, a volunteer target, a closing report."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.userfields import user_reference
from organizations.models import PartyOrganization, Region
from organizations.scoping import ScopeRule

from ..choices import CampaignStatus


class Campaign(models.Model):
    scope = ScopeRule(organization="organization", region="region")

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="grid_campaigns"
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_campaigns",
    )
    target_volunteers = models.PositiveIntegerField(_("target volunteers"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_by = user_reference(_("opened by"))
    report = models.JSONField(_("closing report"), default=dict, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.name
