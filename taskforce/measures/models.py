"""The city's 18 care measures (关心关爱新就业群体18条措施), measure by measure.

A :class:`Measure` extends one entry of the appeals' catalogue (``appeals.PolicyMeasure``, the
number and title appeals cite) with its text and responsible units. Each measure has yearly
:class:`Indicator` s (target and unit of measure, the unit that reports it) and each indicator
one :class:`IndicatorReport` per quarter (the actual, who reported it). Progress and the
quarterly status are computed from the reports (``taskforce.measures.selectors``), never typed.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from appeals.models import PolicyMeasure
from core.userfields import user_reference
from organizations.models import Department
from organizations.scoping import ScopeRule


class Measure(models.Model):
    """One of the 18 measures, with its text and the units responsible for it."""

    scope = ScopeRule(department=("lead_unit", "responsible_units"))

    policy = models.OneToOneField(
        PolicyMeasure,
        verbose_name=_("catalogue entry"),
        on_delete=models.PROTECT,
        related_name="taskforce_measure",
    )
    text = models.TextField(_("text"), blank=True)
    lead_unit = models.ForeignKey(
        Department,
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_units = models.ManyToManyField(
        Department,
        verbose_name=_("responsible units"),
        blank=True,
        related_name="taskforce_measures",
    )

    class Meta:
        verbose_name = _("care measure")
        verbose_name_plural = _("care measures")
        ordering = ["policy__number"]

    def __str__(self) -> str:
        return str(self.policy)


class Indicator(models.Model):
    """A yearly indicator of a measure: the target in its unit of measure, reported quarterly
    by one unit. ``cumulative``: the quarters add up (people trained); otherwise the latest
    quarter's value stands (a rate, a count of stations open)."""

    scope = ScopeRule(department=("department", "measure__lead_unit"))

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="indicators"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("name"), max_length=200)
    measure_unit = models.CharField(_("unit of measure"), max_length=16)
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    cumulative = models.BooleanField(_("quarters add up"), default=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        related_name="taskforce_indicators",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("measure indicator")
        verbose_name_plural = _("measure indicators")
        ordering = ["measure__policy__number", "year", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "name"], name="one_indicator_name_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure.policy.number}. {self.name} ({self.year})"


class IndicatorReport(models.Model):
    """The actual of an indicator in one quarter, and who reported it."""

    scope = ScopeRule(department="indicator__department")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="reports"
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    actual = models.DecimalField(
        _("actual"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    reported_by = user_reference(_("reported by"))
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")
        ordering = ["indicator", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "quarter"], name="one_report_per_indicator_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} Q{self.quarter}: {self.actual}"
