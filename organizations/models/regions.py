"""The region tree (city, district, street, community)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.trees import MaterializedPathNode

from ..choices import (
    RegionLevel,
)


class Region(MaterializedPathNode):
    """An administrative division (GB/T 2260 code) or a management zone.

    A management zone (e.g. 常州经开区) groups streets that statutorily stay in their district:
    the streets keep their district parent and point to the zone through ``managed_by``.
    """

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    managed_by = models.ForeignKey(
        "self",
        verbose_name=_("management zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_streets",
        limit_choices_to={"level": RegionLevel.ZONE},
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def path_segment(self) -> str:
        return self.code

    def clean(self):
        super().clean()
        if not self.code.isdigit() or len(self.code) not in (6, 9, 12):
            raise ValidationError(
                {"code": gettext("A division code has 6, 9 or 12 digits.")}, code="code"
            )
