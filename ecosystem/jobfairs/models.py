"""Live-streamed job fairs (直播带岗): events, employers, positions, applications and hires.

**Positions matched** (岗位匹配数) has one definition, written here and computed in
``ecosystem.jobfairs.selectors``: *the number of applications in the state HIRED* — one
position matched is one person hired into one of a fair's positions, whoever recorded it (a
partner app on the worker's behalf, or staff). Openings (``headcount``) are what was offered;
hires never exceed them (``application_advance`` refuses the hire that would).

Employers are public reference data (an employer advertises itself): every signed-in user
sees them, as they see industries. Fairs, positions and applications are scoped: a fair by its
host organization and region, a position by its fair's host and its own region, an
application also by who submitted it (a partner sees what it submitted).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.coordinates import latitude_field, longitude_field
from core.userfields import user_reference
from organizations.models import Enterprise, PartyOrganization, Region
from organizations.scoping import ScopeRule

from .choices import (
    ApplicationChannel,
    ApplicationStatus,
    JobIndustry,
    LivePlatform,
    PositionStatus,
)

__all__ = ["Employer", "FairParticipation", "JobApplication", "JobFair", "Position"]


class JobFair(models.Model):
    """One live-streamed job fair (a 直播带岗 session)."""

    scope = ScopeRule(organization="host_organization", region="region")

    title = models.CharField(_("title"), max_length=128)
    held_on = models.DateField(_("held on"), db_index=True)
    host_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("host organization"),
        on_delete=models.PROTECT,
        related_name="job_fairs",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    live_room = models.ForeignKey(
        "training.PioneerDesignation",
        verbose_name=_("red live room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "red_live_room"},
        help_text=_("The 红色直播间 designation the fair was streamed from, if any."),
    )
    platform = models.CharField(_("platform"), max_length=24, choices=LivePlatform.choices)
    account = models.CharField(_("account"), max_length=64)
    viewers = models.PositiveIntegerField(_("viewers"), default=0)
    peak_viewers = models.PositiveIntegerField(_("peak concurrent viewers"), default=0)
    employers = models.ManyToManyField(
        "Employer",
        verbose_name=_("participating employers"),
        through="FairParticipation",
        related_name="fairs",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def clean(self):
        super().clean()
        if self.peak_viewers and self.viewers < self.peak_viewers:
            raise ValidationError(
                {"peak_viewers": gettext("The peak cannot exceed the total number of viewers.")}
            )
        if self.live_room_id and self.live_room.kind != "red_live_room":
            raise ValidationError(
                {"live_room": gettext("Choose a red live-room (红色直播间) designation.")}
            )


class Employer(models.Model):
    """An enterprise recruiting at job fairs (public reference data)."""

    name = models.CharField(_("name"), max_length=128)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry = models.CharField(_("industry"), max_length=24, choices=JobIndustry.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("unit in the enterprise register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="employer_unique_name_region")
        ]

    def __str__(self) -> str:
        return self.name


class FairParticipation(models.Model):
    """An employer taking part in a fair."""

    scope = ScopeRule(organization="fair__host_organization", region="fair__region")

    fair = models.ForeignKey(
        JobFair, verbose_name=_("job fair"), on_delete=models.CASCADE, related_name="participations"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("participating employer")
        verbose_name_plural = _("participating employers")
        constraints = [
            models.UniqueConstraint(fields=["fair", "employer"], name="fair_participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fair} · {self.employer}"


class Position(models.Model):
    """A position offered at a fair by a participating employer."""

    scope = ScopeRule(organization="fair__host_organization", region="region")

    fair = models.ForeignKey(
        JobFair, verbose_name=_("job fair"), on_delete=models.CASCADE, related_name="positions"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("title"), max_length=64)
    headcount = models.PositiveIntegerField(
        _("openings"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    pay_min = models.DecimalField(
        _("monthly pay from (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    pay_max = models.DecimalField(
        _("monthly pay to (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    industry = models.CharField(_("industry"), max_length=24, choices=JobIndustry.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("work region"), on_delete=models.PROTECT, related_name="+"
    )
    requirements = models.TextField(_("requirements"), blank=True)
    lat = latitude_field(_("latitude"), null=True, blank=True)
    lng = longitude_field(_("longitude"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PositionStatus.choices, default=PositionStatus.OPEN
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["fair", "employer", "title", "id"]
        constraints = [
            models.CheckConstraint(
                name="position_pay_range_ordered", condition=Q(pay_min__lte=models.F("pay_max"))
            ),
        ]
        indexes = [models.Index(fields=["status", "lat", "lng"], name="position_open_geo")]

    def __str__(self) -> str:
        return f"{self.employer} · {self.title}"

    def clean(self):
        super().clean()
        errors = {}
        if self.pay_min is not None and self.pay_max is not None and self.pay_min > self.pay_max:
            errors["pay_max"] = gettext("The upper end of the pay range is below its lower end.")
        if (self.lat is None) != (self.lng is None):
            errors["lng"] = gettext("Give both the latitude and the longitude, or neither.")
        if (
            self.fair_id
            and self.employer_id
            and not FairParticipation.objects.filter(
                fair_id=self.fair_id, employer_id=self.employer_id
            ).exists()
        ):
            errors["employer"] = gettext("This employer does not take part in this job fair.")
        if errors:
            raise ValidationError(errors)


class JobApplication(models.Model):
    """An application to a position: APPLIED → INTERVIEWED → HIRED | REJECTED | WITHDRAWN."""

    scope = ScopeRule(
        organization="position__fair__host_organization",
        region="position__region",
        submitted_by="submitted_by",
    )

    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="applications"
    )
    worker = models.ForeignKey(
        "members.Worker",
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for a job seeker who is not in a worker roster."),
    )
    applicant_name = models.CharField(_("applicant"), max_length=32)
    channel = models.CharField(_("channel"), max_length=16, choices=ApplicationChannel.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
        db_index=True,
    )
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    interviewed_on = models.DateField(_("interviewed on"), null=True, blank=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True, db_index=True)
    submitted_by = user_reference(_("submitted by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("job application")
        verbose_name_plural = _("job applications")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "worker"],
                condition=Q(worker__isnull=False),
                name="job_application_once_per_worker",
            ),
            models.CheckConstraint(
                name="job_application_hired_has_date",
                condition=~Q(status="hired") | Q(hired_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name} · {self.position}"
