"""Enterprises (new economic and new social organizations) and their party organizations."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.identity import check_uscc, normalize_uscc

from ..choices import (
    CoverageMode,
    EnterpriseKind,
    EnterpriseStatus,
)
from ..scoping import ScopeRule
from .regions import Region
from .sectors import Industry
from .tree import PartyOrganization


def uscc_warnings_of(uscc: str, *, texts: tuple[str, str] | None = None) -> list[str]:
    """Doubts about a (valid) unified social credit code that do not block saving (``texts``:
    ``core.identity.uscc_warning_texts()``, looked up once for many codes)."""
    try:
        return check_uscc(uscc, texts=texts).warnings
    except ValidationError:
        return []


class Enterprise(models.Model):
    """An enterprise, platform, regional operator, outlet, MCN agency or fleet.

    ``coverage_mode`` is derived by ``services.enterprise_refresh_coverage`` from the
    organization that covers it and its work-coverage links; nobody types it.
    """

    scope = ScopeRule(
        organization="party_organization",
        region="region",
        industry="industry",
        platform="platform",
        platform_self=True,
    )

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=128, db_index=True)
    kind = models.CharField(_("kind"), max_length=24, choices=EnterpriseKind.choices)
    platform = models.ForeignKey(
        "self",
        verbose_name=_("platform brand"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"kind": EnterpriseKind.PLATFORM_HQ},
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="enterprises"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    #: Whom to ask for at the unit, and the unit's own (office) phone: the field work list's
    #: columns. A person's private mobile is personal data and is not kept here.
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(
        _("unit's contact phone"),
        max_length=32,
        blank=True,
        validators=[
            RegexValidator(
                r"^([0-9+()\- ]{5,32})?$",  # blank: no phone given
                _("Give a phone number: digits, with -, +, ( ) or spaces."),
            )
        ],
    )
    worker_count = models.PositiveIntegerField(_("workers"), default=0)
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("covering party organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="covered_enterprises",
    )
    has_liaison = models.BooleanField(_("has a party-building liaison"), default=False)
    has_union_or_league = models.BooleanField(_("has a union or youth-league group"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.OPERATING,
    )
    coverage_mode = models.CharField(
        _("coverage"),
        max_length=16,
        choices=CoverageMode.choices,
        default=CoverageMode.NONE,
        editable=False,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["industry", "region"]),
            models.Index(fields=["platform"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.uscc = normalize_uscc(self.uscc)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        try:
            self.uscc = check_uscc(self.uscc).value
        except ValidationError as exc:
            errors["uscc"] = exc.messages[0]
        if self.kind == EnterpriseKind.PLATFORM_HQ and self.platform_id:
            errors["platform"] = gettext("A platform headquarters is its own brand.")
        if self.platform_id and self.pk and self.platform_id == self.pk:
            errors["platform"] = gettext("An enterprise cannot be its own platform.")
        if errors:
            raise ValidationError(errors)

    @property
    def uscc_warnings(self) -> list[str]:
        return uscc_warnings_of(self.uscc)
