"""Transfer letters moving a member's relation (组织关系介绍信)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.models import PartyOrganization
from organizations.scoping import ScopeRule

from ..choices import TransferLetterStatus
from .people import PartyMember


class TransferLetter(models.Model):
    """A letter moving a member's relation (组织关系介绍信): DRAFT → ISSUED(valid_until) →
    RECEIVED / EXPIRED / RETURNED."""

    scope = ScopeRule(
        organization=("member__organization", "member__host_organization", "to_organization"),
        region="member__region",
    )

    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.CASCADE,
        related_name="transfer_letters",
    )
    from_organization_name = models.CharField(_("from organization"), max_length=128)
    to_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("to local organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_letters",
    )
    to_organization_name = models.CharField(
        _("to organization elsewhere"), max_length=128, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TransferLetterStatus.choices,
        default=TransferLetterStatus.DRAFT,
    )
    letter_number = models.CharField(_("letter number"), max_length=32, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    closed_on = models.DateField(_("received or returned on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer letter")
        verbose_name_plural = _("transfer letters")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if not self.to_organization_id and not self.to_organization_name:
            errors["to_organization"] = gettext("Give the organization the letter is addressed to.")
        if self.status != TransferLetterStatus.DRAFT:
            if not self.issued_on:
                errors["issued_on"] = gettext("An issued letter needs its date of issue.")
            if not self.valid_until:
                errors["valid_until"] = gettext("An issued letter needs its validity.")
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            errors["valid_until"] = gettext("A letter cannot expire before it is issued.")
        if errors:
            raise ValidationError(errors)
