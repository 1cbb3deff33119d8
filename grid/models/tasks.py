"""Grid tasks, the volunteers' claims on them, proof photos and the event of every step."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.coordinates import latitude_field, longitude_field
from core.userfields import user_reference
from organizations.models import PartyOrganization, Region
from organizations.scoping import ScopeRule

from ..choices import ClaimStatus, EventKind, Skill, TaskKind, TaskStatus
from .volunteers import Volunteer


def task_scope(prefix: str = "") -> ScopeRule:
    """A task (and what hangs off it) belongs to its publishing organization and its region."""
    p = f"{prefix}__" if prefix else ""
    return ScopeRule(organization=f"{p}organization", region=f"{p}region")


class Task(models.Model):
    """A grassroots task published by a street, a community, an organization or staff.

    ``cell`` is the h3 cell (``GRID_H3_RESOLUTION``) of the place; open tasks are indexed by it
    so that "tasks near me" is a k-ring look-up. ``filled`` counts the claims holding a place;
    the services keep it under the task's row lock so that it never exceeds ``slots``.
    """

    scope = task_scope()

    campaign = models.ForeignKey(
        "grid.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TaskKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="grid_tasks"
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("publishing organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_tasks",
    )
    published_by = user_reference(_("published by"))
    place = models.CharField(_("place"), max_length=200)
    lat = latitude_field(_("latitude"))
    lng = longitude_field(_("longitude"))
    cell = models.BigIntegerField(_("h3 cell"), editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    slots = models.PositiveSmallIntegerField(
        _("volunteers wanted"), default=1, validators=[MinValueValidator(1)]
    )
    filled = models.PositiveSmallIntegerField(_("places taken"), default=0, editable=False)
    points = models.PositiveIntegerField(_("points offered"), default=10)
    skill = models.CharField(_("skill needed"), max_length=16, choices=Skill.choices, blank=True)
    proof_photo = models.BooleanField(_("photo required"), default=True)
    proof_location = models.BooleanField(_("location required"), default=True)
    proof_code = models.BooleanField(_("beneficiary code required"), default=False)
    beneficiary_code = models.CharField(_("beneficiary code"), max_length=12, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("grid task")
        verbose_name_plural = _("grid tasks")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="grid_task_filled_le_slots", condition=Q(filled__lte=models.F("slots"))
            ),
            models.CheckConstraint(
                name="grid_task_window", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
        ]
        indexes = [
            # tasks near a point: the k-ring look-up (cell first, so that a planner prefers it
            # to the status index for "open tasks in these cells").
            models.Index(fields=["cell", "status"], name="grid_task_cell_status"),
            # the expiry scan and the board's filters.
            models.Index(fields=["status", "ends_at"], name="grid_task_status_ends"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": gettext("The end must come after the start.")})
        if self.proof_code and not self.beneficiary_code:
            raise ValidationError(
                {"beneficiary_code": gettext("Give the code the beneficiary will tell.")}
            )

    @property
    def places_left(self) -> int:
        return max(self.slots - self.filled, 0)


class Claim(models.Model):
    """A volunteer on a task: invited, or claiming it, through proof to verification."""

    scope = ScopeRule(
        organization=("task__organization", "volunteer__worker__enterprise__party_organization"),
        region="task__region",
        industry="volunteer__worker__industry",
        platform="volunteer__worker__platform",
    )

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="claims"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="claims"
    )
    status = models.CharField(_("status"), max_length=12, choices=ClaimStatus.choices)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("proof submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = user_reference(_("verifier"))
    return_reason = models.CharField(_("reason returned"), max_length=200, blank=True)
    proof_lat = models.FloatField(_("proof latitude"), null=True, blank=True)
    proof_lng = models.FloatField(_("proof longitude"), null=True, blank=True)
    proof_at = models.DateTimeField(_("proof time"), null=True, blank=True)
    proof_note = models.CharField(_("proof note"), max_length=300, blank=True)
    code_matches = models.BooleanField(_("code matches"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(
        _("distance from the place (m)"), null=True, blank=True
    )
    flag_outside_window = models.BooleanField(_("outside the time window"), default=False)
    flag_too_far = models.BooleanField(_("too far from the place"), default=False)
    points_awarded = models.PositiveIntegerField(_("points awarded"), default=0)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "volunteer"], name="grid_claim_unique")
        ]
        indexes = [
            models.Index(fields=["volunteer", "status"], name="grid_claim_volunteer_status"),
            models.Index(fields=["status", "submitted_at"], name="grid_claim_status_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.volunteer_id}"

    @property
    def flagged(self) -> bool:
        return self.flag_outside_window or self.flag_too_far


class ProofPhoto(models.Model):
    """The photo of a proof, kept apart from the claim so that lists never load it."""

    scope = ScopeRule(
        organization=(
            "claim__task__organization",
            "claim__volunteer__worker__enterprise__party_organization",
        ),
        region="claim__task__region",
        industry="claim__volunteer__worker__industry",
        platform="claim__volunteer__worker__platform",
    )

    claim = models.OneToOneField(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="photo"
    )
    content_type = models.CharField(_("type"), max_length=32)
    size = models.PositiveIntegerField(_("size (bytes)"))
    data = models.BinaryField(_("photo"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("proof photo")
        verbose_name_plural = _("proof photos")

    def __str__(self) -> str:
        return f"{self.claim_id} ({self.content_type})"


class TaskEvent(models.Model):
    """One step of a task or of a claim on it (immutable)."""

    scope = task_scope("task")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="events"
    )
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("event"), max_length=12, choices=EventKind.choices)
    actor = user_reference(_("by"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"
