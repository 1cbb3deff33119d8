"""Classes (培训班), their sessions, enrollments and attendance (person-times 人次)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.defaults import short_code
from core.userfields import user_reference
from members.models import Worker
from organizations.models import Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from ..choices import AttendanceChannel, ClassStatus, EnrollmentSource
from .catalogue import Course, Lecturer

#: Check-in codes avoid look-alike characters (0/O, 1/I/L) so they can be read out and typed.
#: A session's check-in code (a stable default callable that migrations may reference).
new_check_in_code = short_code


def class_scope(prefix: str = "", *, submitted_by: str | None = None) -> ScopeRule:
    """Who sees a class and what hangs off it: the organizer's organization subtree and the
    region subtree where the class is held (partners: what they submitted)."""
    p = f"{prefix}__" if prefix else ""
    return ScopeRule(organization=f"{p}organizer", region=f"{p}region", submitted_by=submitted_by)


class TrainingClass(models.Model):
    """A training class run by a party organization: dates, place or online link, capacity.

    A worker completes it (结业) after attending ``required_numerator / required_denominator``
    of its sessions; the rate is kept as two integers, never a float.
    """

    scope = class_scope()

    name = models.CharField(_("name"), max_length=128, db_index=True)
    organizer = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    courses = models.ManyToManyField(
        Course, verbose_name=_("courses"), blank=True, related_name="classes"
    )
    industries = models.ManyToManyField(
        Industry, verbose_name=_("audience industries"), blank=True, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=16, choices=ClassStatus.choices, default=ClassStatus.OPEN
    )
    required_numerator = models.PositiveSmallIntegerField(
        _("completion share: numerator"), default=4, validators=[MinValueValidator(1)]
    )
    required_denominator = models.PositiveSmallIntegerField(
        _("completion share: denominator"), default=5, validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["starts_on"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                name="class_ends_after_start", condition=Q(ends_on__gte=F("starts_on"))
            ),
            models.CheckConstraint(name="class_capacity_positive", condition=Q(capacity__gte=1)),
            models.CheckConstraint(
                name="class_share_at_most_one",
                condition=Q(required_numerator__gte=1)
                & Q(required_numerator__lte=F("required_denominator")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = gettext("A class cannot end before it starts.")
        if not self.place and not self.online_url:
            errors["place"] = gettext("Give a place or an online link.")
        num, den = self.required_numerator, self.required_denominator
        if num and den and num > den:
            errors["required_numerator"] = gettext(
                "The required share cannot be more than all sessions."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def required_share_display(self) -> str:
        return f"{self.required_numerator}/{self.required_denominator}"


class Session(models.Model):
    """One session (课次) of a class: when, which course and lecturer, the hours it credits,
    and the short check-in code its QR code carries."""

    scope = class_scope("training_class")

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    lecturer = models.ForeignKey(
        Lecturer,
        verbose_name=_("lecturer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=128, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("class hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0)]
    )
    check_in_code = models.CharField(
        _("check-in code"), max_length=12, unique=True, default=short_code, editable=False
    )

    class Meta:
        # "session" alone reads as a login session (会话) elsewhere: a training session (课次).
        verbose_name = pgettext_lazy("training", "session")
        verbose_name_plural = pgettext_lazy("training", "sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.training_class} · {self.title or self.course or ''} {local:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": gettext("A session must end after it starts.")})
        if self.training_class_id and self.starts_at:
            day = timezone.localtime(self.starts_at).date()
            tc = self.training_class
            if not tc.starts_on <= day <= tc.ends_on:
                raise ValidationError(
                    {"starts_at": gettext("The session must fall within the class's dates.")}
                )


class Enrollment(models.Model):
    """A worker's place in a class. ``sessions_attended``, ``completed`` and ``completed_on``
    are derived by ``services.enrollment_refresh_completion`` so that lists filter on them."""

    scope = class_scope("training_class", submitted_by="submitted_by")

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="enrollments"
    )
    source = models.CharField(
        _("how enrolled"),
        max_length=16,
        choices=EnrollmentSource.choices,
        default=EnrollmentSource.ENROLLED,
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    sessions_attended = models.PositiveSmallIntegerField(
        _("sessions attended"), default=0, editable=False
    )
    completed = models.BooleanField(_("completed"), default=False, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    submitted_by = user_reference(_("submitted by"))

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["-enrolled_at", "-id"]
        indexes = [models.Index(fields=["training_class", "completed"])]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "worker"], name="one_enrollment_per_worker"
            )
        ]

    def __str__(self) -> str:
        return f"{self.training_class} · {self.worker.name}"


class Attendance(models.Model):
    """A worker present at a session: one person-time (人次). Unique per session and worker,
    so a repeated check-in lands on the same row."""

    scope = class_scope("session__training_class", submitted_by="submitted_by")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="attendances"
    )
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrollment"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=16, choices=AttendanceChannel.choices)
    submitted_by = user_reference(_("submitted by"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["-checked_in_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "worker"], name="one_attendance_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.worker.name}"
