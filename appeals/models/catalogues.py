"""The catalogues of appeals: categories (the Open311 service list), policy measures ("18
measures"), SLA policies and the holiday table (with make-up workdays 调休)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import (
    Urgency,
)

__all__ = ["Category", "Holiday", "HolidayYear", "PolicyMeasure", "SLAPolicy"]


class Category(models.Model):
    """A kind of appeal (wages and deductions, account bans, ...); the Open311 service list.

    Reference data seeded by a migration (``appeals.catalogue``); the names are data.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    description = models.CharField(_("description"), max_length=200, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class PolicyMeasure(models.Model):
    """One of the city's measures for new employment groups (the "18 measures")."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("policy measure")
        verbose_name_plural = _("policy measures")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class SLAPolicy(models.Model):
    """How long each step may take, per category and urgency.

    A row with an empty category is the default for its urgency. Dispatch and sign times are
    hours; the reply time is working days (a deadline at the end of that working day). With
    ``round_the_clock`` (emergencies) every duration counts in clock hours, weekends and
    holidays included.
    """

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sla_policies",
        help_text=_("Empty: the default for this urgency."),
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    dispatch_hours = models.PositiveSmallIntegerField(
        _("hours to dispatch"), validators=[MinValueValidator(1)]
    )
    sign_hours = models.PositiveSmallIntegerField(
        _("hours to sign for"), validators=[MinValueValidator(1)]
    )
    reply_days = models.PositiveSmallIntegerField(
        _("working days to reply"), validators=[MinValueValidator(1)]
    )
    extension_days = models.PositiveSmallIntegerField(
        _("working days an extension adds"), default=5, validators=[MinValueValidator(1)]
    )
    round_the_clock = models.BooleanField(
        _("counted round the clock"),
        default=False,
        help_text=_("Count clock hours and calendar days (emergencies) instead of working time."),
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["category__sort_order", "urgency"]
        # One policy per category × urgency, and one default (no category) per urgency: two
        # partial unique indexes, which SQLite and PostgreSQL both enforce (``nulls_distinct``
        # is PostgreSQL-only and SQLite would silently drop it).
        constraints = [
            models.UniqueConstraint(
                fields=["category", "urgency"],
                condition=Q(category__isnull=False),
                name="one_sla_per_category_urgency",
            ),
            models.UniqueConstraint(
                fields=["urgency"],
                condition=Q(category__isnull=True),
                name="one_default_sla_per_urgency",
            ),
        ]

    def __str__(self) -> str:
        what = self.category.name if self.category_id else gettext("default")
        return f"{what} · {self.get_urgency_display()}"


class Holiday(models.Model):
    """A day off or a make-up workday (调休) of the official calendar.

    Without a row, Monday–Friday are working days. ``is_workday`` marks a Saturday or Sunday
    that is worked to make up for a holiday; a row without it is a holiday.
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=32)
    is_workday = models.BooleanField(_("make-up workday"), default=False)

    class Meta:
        verbose_name = _("holiday or make-up workday")
        verbose_name_plural = _("holidays and make-up workdays")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = gettext("workday") if self.is_workday else gettext("holiday")
        return f"{self.date:%Y-%m-%d} {self.name} ({kind})"


class HolidayYear(models.Model):
    """A year whose holidays and make-up workdays are in the :class:`Holiday` table.

    The SLA (``appeals.sla``) counts working days only in such years: for a year without a row
    it imports the official calendar from the ``chinese-calendar`` package, and where the
    package does not know the year yet it refuses (``CalendarYearMissing``) rather than
    assume Monday–Friday. Staff who enter a year by hand in the admin add its row here with
    the source "entered by hand".
    """

    class Source(models.TextChoices):
        PACKAGE = "chinese-calendar", _("chinese-calendar package")
        CATALOGUE = "catalogue", _("built-in catalogue")
        MANUAL = "manual", _("entered by hand")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} ({self.get_source_display()})"
