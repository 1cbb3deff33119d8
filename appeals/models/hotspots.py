"""Hot-spot alerts: many similar appeals in one place within a few days."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.userfields import user_reference
from organizations.models import Enterprise, Industry, Region
from organizations.scoping import ScopeRule

from ..choices import (
    HotSpotSubject,
)
from .catalogues import Category

__all__ = ["HotSpotAlert"]


class HotSpotAlert(models.Model):
    """Many appeals of one category against one platform or at one place within a window.

    At most one unresolved alert per subject and category: later appeals raise its count.
    """

    scope = ScopeRule(region="region", industry="industry")

    subject = models.CharField(_("subject"), max_length=16, choices=HotSpotSubject.choices)
    platform = models.ForeignKey(
        Enterprise,
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("For a platform: the city it was counted in."),
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    window_days = models.PositiveSmallIntegerField(_("window (days)"))
    window_start = models.DateTimeField(_("window starts"))
    count = models.PositiveIntegerField(_("appeals in the window"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    last_appeal_at = models.DateTimeField(_("latest appeal at"), default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = user_reference(_("resolved by"))

    class Meta:
        verbose_name = _("hot-spot alert")
        verbose_name_plural = _("hot-spot alerts")
        ordering = ["resolved", "-count", "-raised_at"]
        constraints = [
            # One open alert per subject; partial indexes for each way platform and region
            # can be empty, so SQLite enforces it as PostgreSQL does.
            models.UniqueConstraint(
                fields=["subject", "platform", "region", "category"],
                condition=Q(resolved=False, platform__isnull=False, region__isnull=False),
                name="one_open_hotspot_per_subject",
            ),
            models.UniqueConstraint(
                fields=["subject", "platform", "category"],
                condition=Q(resolved=False, platform__isnull=False, region__isnull=True),
                name="one_open_hotspot_per_platform",
            ),
            models.UniqueConstraint(
                fields=["subject", "region", "category"],
                condition=Q(resolved=False, platform__isnull=True),
                name="one_open_hotspot_per_place",
            ),
            models.CheckConstraint(
                name="hotspot_subject_has_target",
                condition=Q(subject=HotSpotSubject.PLATFORM, platform__isnull=False)
                | Q(subject=HotSpotSubject.PLACE, region__isnull=False, platform__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        target = self.platform if self.subject == HotSpotSubject.PLATFORM else self.region
        return f"{target} · {self.category}: {self.count}"
