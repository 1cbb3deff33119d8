"""The city's catalogue: lecturers, the course menu, education sites and learning resources.

No scope rule: every signed-in user reads them (a secretary picks courses and lecturers for a
class from the city's menu); only city-wide staff change them (``training.services``).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Department, Industry, Region

from ..choices import CourseFormat, CourseTopic, LecturerKind, ResourceKind, SiteKind


class Lecturer(models.Model):
    """A party-school teacher or a backbone lecturer sent by a department (骨干讲师)."""

    name = models.CharField(_("name"), max_length=32, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=LecturerKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lecturers",
    )
    title = models.CharField(_("title or post"), max_length=64, blank=True)
    bio = models.TextField(_("introduction"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """A course on the party school's menu (课程菜单)."""

    title = models.CharField(_("title"), max_length=128)
    topic = models.CharField(_("topic"), max_length=24, choices=CourseTopic.choices)
    format = models.CharField(
        _("format"), max_length=16, choices=CourseFormat.choices, default=CourseFormat.OFFLINE
    )
    hours = models.DecimalField(
        _("class hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("99"))],
    )
    description = models.TextField(_("description"), blank=True)
    lecturers = models.ManyToManyField(
        Lecturer, verbose_name=_("lecturers"), blank=True, related_name="courses"
    )
    industries = models.ManyToManyField(
        Industry, verbose_name=_("audience industries"), blank=True, related_name="courses"
    )
    active = models.BooleanField(_("on the menu"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["topic", "title", "id"]
        constraints = [
            models.CheckConstraint(name="course_hours_positive", condition=Q(hours__gt=0)),
        ]

    def __str__(self) -> str:
        return self.title


class EducationSite(models.Model):
    """A demonstration site, red education base or community center, with a VR panorama."""

    name = models.CharField(_("name"), max_length=128, db_index=True)
    kind = models.CharField(_("kind"), max_length=24, choices=SiteKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="education_sites"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    vr_url = models.URLField(_("VR panorama link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("education site")
        verbose_name_plural = _("education sites")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ResourcePack(models.Model):
    """A pack of online learning resources (学习资源包) on one topic."""

    title = models.CharField(_("title"), max_length=128)
    topic = models.CharField(_("topic"), max_length=24, choices=CourseTopic.choices)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("resource pack")
        verbose_name_plural = _("resource packs")
        ordering = ["topic", "title", "id"]

    def __str__(self) -> str:
        return self.title


class LearningResource(models.Model):
    """One item of a pack: a video, article, courseware or audio behind a link."""

    pack = models.ForeignKey(
        ResourcePack, verbose_name=_("pack"), on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(_("title"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices)
    url = models.URLField(_("link"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=10)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("learning resource")
        verbose_name_plural = _("learning resources")
        ordering = ["pack", "sort_order", "id"]

    def __str__(self) -> str:
        return self.title
