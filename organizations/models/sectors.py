"""Departments and industries: the sectors the work is organized by."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A member unit of the task force (工作专班成员单位), e.g. the postal administration."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Industry(models.Model):
    """A sector of the new employment groups, with its competent department."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    department = models.ForeignKey(
        Department,
        verbose_name=_("competent department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="industries",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name
