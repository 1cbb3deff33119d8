"""Meetings (三会一课 and the others), who took part, and the yearly evaluation of members."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.defaults import short_code
from core.userfields import user_reference
from members.models import PartyMember
from organizations.models import PartyOrganization
from organizations.scoping import ScopeRule
from stations.models import Station
from training.models import PartyLesson

from ..choices import (
    CheckInChannel,
    MeetingKind,
    MeetingStatus,
    ParticipationStatus,
    PlaceKind,
    Rating,
)


class Meeting(models.Model):
    """A meeting of a branch: its plan and notice, place (a station or online), the check-in
    code, and once held its minutes and resolutions. A party lesson may link the lesson recorded
    in training instead of repeating it."""

    scope = ScopeRule(organization="organization", region="organization__region")

    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=128)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place_kind = models.CharField(
        _("place"), max_length=12, choices=PlaceKind.choices, default=PlaceKind.OTHER
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    plan = models.TextField(_("plan"), blank=True)
    notice = models.TextField(_("notice"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    resolutions = models.TextField(_("resolutions"), blank=True)
    party_lesson = models.ForeignKey(
        PartyLesson,
        verbose_name=_("party lesson in training"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    check_in_code = models.CharField(
        _("check-in code"), max_length=12, unique=True, default=short_code, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "starts_at"], name="meeting_org_start"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} {self.title}"

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = gettext("A meeting cannot end before it starts.")
        if self.place_kind == PlaceKind.STATION and not self.station_id:
            errors["station"] = gettext("Choose the station where the meeting is held.")
        if self.place_kind == PlaceKind.ONLINE and not self.online_url:
            errors["online_url"] = gettext("Give the link of the online meeting.")
        if self.party_lesson_id and self.kind != MeetingKind.LESSON:
            errors["party_lesson"] = gettext("Only a party lesson links a lesson in training.")
        if errors:
            raise ValidationError(errors)


class Participation(models.Model):
    """A member and one meeting: signed up, on leave (with the reason) or present."""

    scope = ScopeRule(
        organization=("meeting__organization", "member__organization", "member__host_organization"),
        region="meeting__organization__region",
        submitted_by="submitted_by",
    )

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participations"
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.PROTECT,
        related_name="meeting_participations",
    )
    status = models.CharField(_("status"), max_length=12, choices=ParticipationStatus.choices)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=CheckInChannel.choices, blank=True
    )
    submitted_by = user_reference(_("submitted by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting participation")
        verbose_name_plural = _("meeting participations")
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="participation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} · {self.get_status_display()}"

    def clean(self):
        super().clean()
        if self.status == ParticipationStatus.LEAVE and not self.leave_reason.strip():
            raise ValidationError({"leave_reason": gettext("Give the reason for the leave.")})


class Evaluation(models.Model):
    """民主评议党员: one member's rating for a year."""

    scope = ScopeRule(
        organization=("organization", "member__organization"), region="organization__region"
    )

    member = models.ForeignKey(
        PartyMember, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="member_evaluations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=24, choices=Rating.choices)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("member evaluation")
        verbose_name_plural = _("member evaluations")
        ordering = ["-year", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="evaluation_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.member.name} {self.get_rating_display()}"
