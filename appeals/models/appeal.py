"""Appeals of workers and the direct channel that handles them (DESIGN.md §6, appeals).

An :class:`Appeal` travels worker → party member → party branch → industry committee →
organization department (:class:`~appeals.choices.Level`) along the 12345 chain
受理→派单→办理→答复→督办→办结→回访→评价 (:class:`~appeals.choices.Status`). Only
:mod:`appeals.services` moves it, and every move writes an immutable :class:`AppealEvent` in
the same transaction. ``due_at`` is the due time of the *current* step, computed from the
:class:`SLAPolicy` in working time (:mod:`appeals.sla`, with the :class:`Holiday` table); the
periodic scan escalates appeals whose ``due_at`` has passed.

The contact phone is a :class:`core.pii.ProtectedField` (encrypted, blind-indexed, shown
masked), like the phones of workers.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.coordinates import latitude_field, longitude_field
from core.models import ImmutableRecord, ImmutableRecordError
from core.pii import ProtectedField, ProtectedModelMixin, blind_index_field, normalize_phone
from core.userfields import user_reference
from members.models import Worker
from organizations.models import Enterprise, Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from ..choices import (
    DUE_STATUSES,
    Channel,
    EventKind,
    Level,
    Status,
    Urgency,
)
from .catalogues import Category, PolicyMeasure

__all__ = ["Appeal", "AppealEvent", "ImmutableRecordError"]


def appeal_scope(prefix: str = "") -> ScopeRule:
    """Who sees an appeal: the organization subtree it is assigned to (or that covers the
    enterprise concerned), the region subtree where it happened, the industry committee of
    its industry in its region, and the partner who submitted it. A platform does *not* see
    the appeals against it: a worker complaining about a platform must not be exposed to it."""
    p = f"{prefix}__" if prefix else ""
    return ScopeRule(
        organization=(f"{p}assigned_organization", f"{p}enterprise__party_organization"),
        region=f"{p}region",
        industry=f"{p}industry",
        submitted_by=f"{p}submitted_by",
    )


class Appeal(ProtectedModelMixin, models.Model):
    """A worker's appeal (诉求) and where it stands on the direct channel.

    ``reference`` is given at intake and is what the worker follows it by (with the last digits
    of their phone). ``platform`` is derived from the enterprise concerned. ``due_at`` is the
    due time of the current step; ``expected_at`` the time a reply is expected (Open311's
    ``expected_datetime``).
    """

    scope = appeal_scope()

    reference = models.CharField(
        pgettext_lazy("appeal", "reference number"), max_length=24, unique=True, editable=False
    )
    external_id = models.CharField(
        _("id in the partner system"),
        max_length=64,
        blank=True,
        help_text=_("The submitting system's own id (e.g. a hotline ticket number)."),
    )
    submitter = models.ForeignKey(
        Worker,
        verbose_name=_("submitter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    contact_name = models.CharField(_("contact name"), max_length=64, blank=True)
    contact_phone = ProtectedField(
        _("contact phone"), kind="phone", index_field="contact_phone_index", blank=True
    )
    contact_phone_index = blind_index_field()
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("The submitter's identity is not passed on to the enterprise concerned."),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="appeals"
    )
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("description"))
    #: The personal-information notice a worker accepted on the public door (PIPL), and when.
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    notice_version = models.CharField(_("notice accepted"), max_length=32, blank=True)
    media_url = models.URLField(
        _("photo or file link"),
        max_length=500,
        blank=True,
        help_text=_("A link to a photo or document the submitter attached (Open311 media_url)."),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = latitude_field(_("latitude (WGS-84)"), null=True, blank=True)
    longitude = longitude_field(_("longitude (WGS-84)"), null=True, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise or platform concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    enterprise_name = models.CharField(
        _("enterprise named"),
        max_length=128,
        blank=True,
        help_text=_("As the submitter named it, when it is not in the enterprise register."),
    )
    platform = models.ForeignKey(
        Enterprise,
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platform_appeals",
        editable=False,
    )
    policy_measure = models.ForeignKey(
        PolicyMeasure,
        verbose_name=_("policy measure referenced"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    assigned_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("assigned organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        editable=False,
    )
    level = models.CharField(
        _("level"), max_length=32, choices=Level.choices, default=Level.WORKER, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.RECEIVED,
        editable=False,
    )
    due_at = models.DateTimeField(_("current step due at"), null=True, blank=True, editable=False)
    expected_at = models.DateTimeField(
        _("reply expected by"), null=True, blank=True, editable=False
    )
    extended = models.BooleanField(_("extended"), default=False, editable=False)
    extension_reason = models.CharField(
        _("reason for the extension"), max_length=300, blank=True, editable=False
    )
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0, editable=False)
    reply = models.TextField(_("reply"), blank=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        editable=False,
    )
    submitted_by = user_reference(_("submitted by"), editable=False)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True, editable=False)
    #: When the personal information was removed after the retention period
    #: (``services.retention``).
    anonymized_at = models.DateTimeField(
        _("made anonymous at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_at", "-id"]
        indexes = [
            # The escalation scan: open appeals whose step is due, one range scan.
            models.Index(
                fields=["due_at"],
                name="appeal_due_open",
                condition=Q(status__in=DUE_STATUSES),
            ),
            models.Index(fields=["status", "level"], name="appeal_status_level"),
            models.Index(fields=["platform", "category", "received_at"], name="appeal_platform"),
            models.Index(fields=["region", "category", "received_at"], name="appeal_place"),
            models.Index(fields=["received_at"], name="appeal_received"),
        ]
        constraints = [
            models.CheckConstraint(
                name="appeal_satisfaction_1_to_5",
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
            ),
            models.CheckConstraint(
                name="appeal_latitude_range",
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            ),
            models.CheckConstraint(
                name="appeal_longitude_range",
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            ),
            models.CheckConstraint(
                name="appeal_not_its_own_duplicate",
                condition=~Q(duplicate_of=models.F("pk")),
            ),
            models.UniqueConstraint(
                fields=["submitted_by", "external_id"],
                condition=~Q(external_id=""),
                name="appeal_unique_partner_external_id",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or gettext("new appeal")

    def save(self, *args, **kwargs):
        self.platform_id = self.derive_platform_id()
        super().save(*args, **kwargs)

    def derive_platform_id(self) -> int | None:
        """The platform brand of the enterprise concerned (itself when it is a platform)."""
        enterprise = self.enterprise if self.enterprise_id else None
        if enterprise is None:
            return None
        if enterprise.kind == "platform_hq":
            return enterprise.pk
        return enterprise.platform_id

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if not (self.description or "").strip():
            errors["description"] = gettext("Describe the appeal.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = gettext("Give both latitude and longitude, or neither.")
        if self.contact_phone and len(normalize_phone(self.contact_phone)) < 7:
            errors["contact_phone"] = gettext("This phone number is too short.")
        if errors:
            raise ValidationError(errors)

    # --- reads the faces share ------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in DUE_STATUSES or self.status == Status.REPLIED

    def is_overdue(self, now=None) -> bool:
        if self.due_at is None or self.status not in DUE_STATUSES:
            return False
        return self.due_at <= (now or timezone.now())

    def phone_for_follow_up(self) -> str:
        """The phone a follower must know the last digits of: the contact phone, else the
        submitter's. Plaintext in memory only, never rendered."""
        if self.contact_phone:
            return normalize_phone(self.contact_phone)
        if self.submitter_id and self.submitter.phone:
            return normalize_phone(self.submitter.phone)
        return ""

    def phone_ends_with(self, digits: str) -> bool:
        """Whether the follow-up phone ends with ``digits`` (at least 4 of them)."""
        digits = "".join(ch for ch in (digits or "") if ch.isdigit())
        phone = self.phone_for_follow_up()
        return len(digits) >= 4 and bool(phone) and phone.endswith(digits)


class AppealEvent(ImmutableRecord):
    """One step of an appeal: who did what when, from which state and level to which.

    Immutable: ``save`` refuses an existing row, ``delete`` and queryset updates refuse always
    (the admin shows them read-only). The appeal cannot be deleted while it has events.
    """

    scope = appeal_scope("appeal")

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("appeal"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    actor = user_reference(_("actor"))
    actor_label = models.CharField(_("actor (as recorded)"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    from_status = models.CharField(
        _("from status"), max_length=16, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=Status.choices)
    from_level = models.CharField(_("from level"), max_length=32, choices=Level.choices, blank=True)
    to_level = models.CharField(_("to level"), max_length=32, choices=Level.choices)
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organization the appeal is assigned to after this step."),
    )
    note = models.TextField(_("note"), blank=True)
    score = models.PositiveSmallIntegerField(_("satisfaction score"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appeal", "at"], name="appeal_event_timeline")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
