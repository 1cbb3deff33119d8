"""In-portal inbox messages about appeals (left by the services on commit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import PartyOrganization
from organizations.scoping import ScopeRule

from ..choices import (
    InboxKind,
)
from .appeal import Appeal

__all__ = ["InboxMessage"]


class InboxMessage(models.Model):
    """An in-portal notification to an organization (its scoped staff) and/or one user."""

    scope = ScopeRule(organization="recipient_organization", submitted_by="recipient_user")

    recipient_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("recipient organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    appeal = models.ForeignKey(
        Appeal,
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InboxKind.choices)
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient_organization", "read_at"], name="inbox_org")]
        constraints = [
            models.CheckConstraint(
                name="inbox_has_a_recipient",
                condition=Q(recipient_organization__isnull=False) | Q(recipient_user__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.text
