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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableRecord, ImmutableRecordError
from core.pii import ProtectedField, ProtectedModelMixin, blind_index_field, normalize_phone
from members.models import Worker
from organizations.models import Enterprise, Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from ..choices import (
    DUE_STATUSES,
    Channel,
    EventKind,
    HotSpotSubject,
    InboxKind,
    Level,
    Status,
    Urgency,
)

__all__ = [
    "Appeal",
    "AppealEvent",
    "Category",
    "Holiday",
    "HolidayYear",
    "HotSpotAlert",
    "ImmutableRecordError",
    "InboxMessage",
    "PolicyMeasure",
    "SLAPolicy",
]


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


# --- catalogues -------------------------------------------------------------------------------


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


# --- appeals ----------------------------------------------------------------------------------


class Appeal(ProtectedModelMixin, models.Model):
    """A worker's appeal (诉求) and where it stands on the direct channel.

    ``reference`` is given at intake and is what the worker follows it by (with the last digits
    of their phone). ``platform`` is derived from the enterprise concerned. ``due_at`` is the
    due time of the current step; ``expected_at`` the time a reply is expected (Open311's
    ``expected_datetime``).
    """

    scope = appeal_scope()

    reference = models.CharField(_("reference number"), max_length=24, unique=True, editable=False)
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
    media_url = models.URLField(
        _("photo or file link"),
        max_length=500,
        blank=True,
        help_text=_("A link to a photo or document the submitter attached (Open311 media_url)."),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("latitude (WGS-84)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude (WGS-84)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
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
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True, editable=False)
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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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


class InboxMessage(models.Model):
    """An in-portal notification to an organization (its scoped staff) and/or one user."""

    scope = ScopeRule(organization="recipient_organization", submitted_by="recipient_user")

    recipient_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("recipient organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    appeal = models.ForeignKey(
        Appeal,
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InboxKind.choices)
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient_organization", "read_at"], name="inbox_org")]
        constraints = [
            models.CheckConstraint(
                name="inbox_has_a_recipient",
                condition=Q(recipient_organization__isnull=False) | Q(recipient_user__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.text


class HotSpotAlert(models.Model):
    """Many appeals of one category against one platform or at one place within a window.

    At most one unresolved alert per subject and category: later appeals raise its count.
    """

    scope = ScopeRule(region="region", industry="industry")

    subject = models.CharField(_("subject"), max_length=16, choices=HotSpotSubject.choices)
    platform = models.ForeignKey(
        Enterprise,
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("For a platform: the city it was counted in."),
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    window_days = models.PositiveSmallIntegerField(_("window (days)"))
    window_start = models.DateTimeField(_("window starts"))
    count = models.PositiveIntegerField(_("appeals in the window"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    last_appeal_at = models.DateTimeField(_("latest appeal at"), default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hot-spot alert")
        verbose_name_plural = _("hot-spot alerts")
        ordering = ["resolved", "-count", "-raised_at"]
        constraints = [
            # One open alert per subject; partial indexes for each way platform and region
            # can be empty, so SQLite enforces it as PostgreSQL does.
            models.UniqueConstraint(
                fields=["subject", "platform", "region", "category"],
                condition=Q(resolved=False, platform__isnull=False, region__isnull=False),
                name="one_open_hotspot_per_subject",
            ),
            models.UniqueConstraint(
                fields=["subject", "platform", "category"],
                condition=Q(resolved=False, platform__isnull=False, region__isnull=True),
                name="one_open_hotspot_per_platform",
            ),
            models.UniqueConstraint(
                fields=["subject", "region", "category"],
                condition=Q(resolved=False, platform__isnull=True),
                name="one_open_hotspot_per_place",
            ),
            models.CheckConstraint(
                name="hotspot_subject_has_target",
                condition=Q(subject=HotSpotSubject.PLATFORM, platform__isnull=False)
                | Q(subject=HotSpotSubject.PLACE, region__isnull=False, platform__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        target = self.platform if self.subject == HotSpotSubject.PLATFORM else self.region
        return f"{target} · {self.category}: {self.count}"
