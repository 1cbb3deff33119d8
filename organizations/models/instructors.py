"""Party-building instructors, their assignments and yearly evaluations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import (
    InstructorGrade,
)
from ..scoping import ScopeRule
from .enterprises import Enterprise
from .sectors import Department
from .tree import PartyOrganization


class Instructor(models.Model):
    """A party-building instructor (党建工作指导员): a full member sent by a department."""

    scope = ScopeRule(organization="organization", industry="organization__industry")

    name = models.CharField(_("name"), max_length=32)
    department = models.ForeignKey(
        Department,
        verbose_name=_("sending department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructors",
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("managing organization"),
        on_delete=models.PROTECT,
        related_name="instructors",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("party-building instructor")
        verbose_name_plural = _("party-building instructors")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class InstructorAssignment(models.Model):
    """An instructor sent to guide an enterprise; open while ``ended_on`` is empty."""

    scope = ScopeRule(
        organization="instructor__organization",
        region="enterprise__region",
        industry="enterprise__industry",
    )

    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="instructor_assignments",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("instructor assignment")
        verbose_name_plural = _("instructor assignments")
        ordering = ["-started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instructor", "enterprise"],
                condition=Q(ended_on__isnull=True),
                name="one_open_assignment_per_instructor_enterprise",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instructor} → {self.enterprise}"

    def clean(self):
        super().clean()
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": gettext("The end cannot come before the start.")})


class InstructorEvaluation(models.Model):
    """The yearly grade of an instructor."""

    scope = ScopeRule(organization="instructor__organization")

    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=24, choices=InstructorGrade.choices)

    class Meta:
        verbose_name = _("instructor evaluation")
        verbose_name_plural = _("instructor evaluations")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["instructor", "year"], name="one_grade_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.instructor} {self.year} {self.get_grade_display()}"
