"""Party lessons, outreach events, online learning progress and pioneer designations."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.userfields import user_reference
from members.models import PartyMember, Worker
from organizations.models import Enterprise, Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from ..choices import DesignationKind, DesignationStatus, OutreachKind
from .catalogue import Course, LearningResource, Lecturer

#: A Chinese plate: province character, city letter, optional middle dot, 5 (6 for new-energy
#: vehicles) letters or digits; I and O are not used on plates.
PLATE_RE = re.compile(r"^[\u4e00-\u9fa5][A-Z]·?[A-HJ-NP-Z0-9]{5,6}$")


def normalize_plate(value: str) -> str:
    """``苏d 12345`` → ``苏D·12345``: upper case, no spaces, the middle dot after the letter."""
    plate = re.sub(r"[\s.·・•]", "", value or "").upper()
    return f"{plate[:2]}·{plate[2:]}" if len(plate) > 2 else plate


class PartyLesson(models.Model):
    """A party lesson (党课) given by a secretary: ``audience_count`` people attended, of whom
    the members recorded in ``attendees`` (optional) are known by name."""

    scope = ScopeRule(organization="organization", region="organization__region")

    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="party_lessons",
    )
    title = models.CharField(_("title"), max_length=128)
    speaker_name = models.CharField(_("speaker"), max_length=32)
    given_on = models.DateField(_("given on"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_lessons",
    )
    audience_count = models.PositiveIntegerField(_("audience"))
    attendees = models.ManyToManyField(
        PartyMember, verbose_name=_("members attending"), blank=True, related_name="party_lessons"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party lesson")
        verbose_name_plural = _("party lessons")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.given_on} {self.title}"


class OutreachEvent(models.Model):
    """A touring lecture (巡回宣讲) or a "小哥说/司机说/主播说" event, with its audience."""

    scope = ScopeRule(organization="organizer", region="region", industry="industry")

    kind = models.CharField(_("kind"), max_length=24, choices=OutreachKind.choices)
    title = models.CharField(_("title"), max_length=128)
    organizer = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="outreach_events",
    )
    speaker_name = models.CharField(_("speaker"), max_length=32)
    lecturer = models.ForeignKey(
        Lecturer,
        verbose_name=_("lecturer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outreach_events",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    audience_count = models.PositiveIntegerField(_("audience"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class ResourceProgress(models.Model):
    """A worker's use of one learning resource: views counted, completion stamped once."""

    scope = ScopeRule(
        organization="worker__enterprise__party_organization",
        region="worker__region",
        industry="worker__industry",
        platform="worker__platform",
        submitted_by="submitted_by",
    )

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="resource_progress"
    )
    resource = models.ForeignKey(
        LearningResource,
        verbose_name=_("learning resource"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    views = models.PositiveIntegerField(_("views"), default=0)
    first_viewed_at = models.DateTimeField(_("first viewed at"), null=True, blank=True)
    last_viewed_at = models.DateTimeField(_("last viewed at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    submitted_by = user_reference(_("submitted by"))

    class Meta:
        verbose_name = _("learning progress")
        verbose_name_plural = _("learning progress")
        ordering = ["-last_viewed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "resource"], name="one_progress_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} · {self.resource}"


class PioneerDesignation(models.Model):
    """A pioneer designation held by a party member: a 党员先锋岗 (post), a 党员红旗车 (vehicle,
    with its plate) or a 红色直播间 (live room, with its platform account)."""

    scope = ScopeRule(organization="organization", region="unit__region")

    kind = models.CharField(_("kind"), max_length=24, choices=DesignationKind.choices)
    title = models.CharField(_("title"), max_length=128)
    holder = models.ForeignKey(
        PartyMember,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("awarded by"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    unit = models.ForeignKey(
        Enterprise,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="designations",
    )
    plate = models.CharField(_("plate number"), max_length=16, blank=True)
    platform = models.ForeignKey(
        Enterprise,
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "platform_hq"},
    )
    account = models.CharField(_("platform account"), max_length=64, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DesignationStatus.choices,
        default=DesignationStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pioneer designation")
        verbose_name_plural = _("pioneer designations")
        ordering = ["kind", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="designation_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
            ),
            models.UniqueConstraint(
                fields=["plate"],
                condition=Q(status="active") & ~Q(plate=""),
                name="one_active_designation_per_plate",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.kind == DesignationKind.RED_FLAG_VEHICLE:
            self.plate = normalize_plate(self.plate)
            if not self.plate:
                errors["plate"] = gettext("A red-flag vehicle needs its plate number.")
            elif not PLATE_RE.match(self.plate):
                errors["plate"] = gettext("This is not a plate number such as 苏D·12345.")
        elif self.plate:
            errors["plate"] = gettext("Only a red-flag vehicle has a plate number.")
        if self.kind == DesignationKind.RED_LIVE_ROOM:
            if not self.platform_id:
                errors["platform"] = gettext("A red live room needs its platform.")
            if not self.account:
                errors["account"] = gettext("A red live room needs its platform account.")
        elif self.account:
            errors["account"] = gettext("Only a red live room has a platform account.")
        if self.platform_id and self.platform.kind != "platform_hq":
            errors["platform"] = gettext("Choose a platform headquarters.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = gettext("A designation cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.status == DesignationStatus.ACTIVE and (
            self.ends_on is None or self.ends_on >= today
        )
