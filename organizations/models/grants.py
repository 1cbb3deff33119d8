"""Scope grants: who sees what."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import (
    EnterpriseKind,
    GrantKind,
)
from .enterprises import Enterprise
from .regions import Region
from .sectors import Department
from .tree import PartyOrganization


class ScopeGrant(models.Model):
    """What a user may see: the whole city, an organization subtree, a region subtree,
    (for a partner system's service user) the units of one platform, or (for the staff of a
    task-force member unit) what is assigned to that department."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="scope_grants",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=GrantKind.choices)
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    platform = models.ForeignKey(
        Enterprise,
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": EnterpriseKind.PLATFORM_HQ},
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("member unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scope grant")
        verbose_name_plural = _("scope grants")
        constraints = [
            models.CheckConstraint(
                name="scope_grant_target_matches_kind",
                condition=(
                    Q(
                        kind=GrantKind.CITY,
                        organization__isnull=True,
                        region__isnull=True,
                        platform__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        kind=GrantKind.ORGANIZATION,
                        organization__isnull=False,
                        region__isnull=True,
                        platform__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        kind=GrantKind.REGION,
                        organization__isnull=True,
                        region__isnull=False,
                        platform__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        kind=GrantKind.PARTNER,
                        organization__isnull=True,
                        region__isnull=True,
                        platform__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        kind=GrantKind.DEPARTMENT,
                        organization__isnull=True,
                        region__isnull=True,
                        platform__isnull=True,
                        department__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        target = self.organization or self.region or self.platform or self.department
        label = GrantKind(self.kind).label
        return f"{self.user}: {label}" + (f" · {target}" if target else "")

    def clean(self):
        super().clean()
        required = {
            GrantKind.ORGANIZATION: "organization",
            GrantKind.REGION: "region",
            GrantKind.PARTNER: "platform",
            GrantKind.DEPARTMENT: "department",
        }.get(self.kind)
        errors = {}
        for name in ("organization", "region", "platform", "department"):
            value = getattr(self, f"{name}_id")
            if name == required and value is None:
                errors[name] = gettext("This grant needs its %(name)s.") % {
                    "name": self._meta.get_field(name).verbose_name
                }
            elif name != required and value is not None:
                errors[name] = gettext("Leave this empty for this kind of grant.")
        if errors:
            raise ValidationError(errors)
