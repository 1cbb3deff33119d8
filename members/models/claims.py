"""A party member reporting in (党员找组织)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.identity import check_resident_id
from core.pii import ProtectedField, ProtectedModelMixin, blind_index_field
from core.userfields import user_reference
from organizations.models import Enterprise, Industry, Region
from organizations.scoping import ScopeRule

from ..choices import ClaimChannel


class MemberClaim(ProtectedModelMixin, models.Model):
    """A party member reporting in (党员找组织) through the public form, a station QR code or a
    partner app. The submitter gets ``reference`` and sees nothing else."""

    scope = ScopeRule(region="region", industry="industry", submitted_by="submitted_by")

    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=ClaimChannel.choices)
    name = models.CharField(_("name"), max_length=64)
    id_number = ProtectedField(
        _("resident ID number"), kind="resident_id", index_field="id_number_index"
    )
    id_number_index = blind_index_field()
    phone = ProtectedField(_("phone"), kind="phone", index_field="phone_index")
    phone_index = blind_index_field()
    home_organization_name = models.CharField(_("home organization"), max_length=128)
    employer_name = models.CharField(_("employer"), max_length=128, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("work region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    work_place = models.CharField(_("where they work"), max_length=200, blank=True)
    submitted_by = user_reference(_("submitted by"))
    #: The personal-information notice the reporter accepted (PIPL consent), and when.
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    notice_version = models.CharField(_("notice accepted"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    #: When the personal information was removed after the retention period
    #: (``services.retention``).
    anonymized_at = models.DateTimeField(
        _("made anonymous at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("member report")
        verbose_name_plural = _("member reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def clean(self):
        super().clean()
        try:
            check_resident_id(self.id_number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages[0]}) from None
