"""Candidates of the membership pipeline and their dated steps (DESIGN.md §6, organization life).

A :class:`Candidate` is a person being developed by a branch: a worker from the roster, or a
person entered by name with a protected ID number and phone. Their stage moves only through
:func:`recruitment.services.step_record`, which writes one immutable :class:`Step` per event.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.identity import check_resident_id
from core.pii import ProtectedField, ProtectedModelMixin, blind_index_field, unique_protected
from core.userfields import user_reference
from members.models import PartyMember, Worker
from organizations.models import Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from .choices import Stage, StepCode


class Candidate(ProtectedModelMixin, models.Model):
    """A person in the pipeline (发展对象 in the broad sense), from application to archive."""

    scope = ScopeRule(organization="organization", region="region", industry="industry")

    worker = models.ForeignKey(
        Worker,
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidacies",
    )
    name = models.CharField(_("name"), max_length=64)
    id_number = ProtectedField(
        _("resident ID number"), kind="resident_id", index_field="id_number_index", blank=True
    )
    id_number_index = blind_index_field()
    phone = ProtectedField(_("phone"), kind="phone", index_field="phone_index", blank=True)
    phone_index = blind_index_field()
    birth_date = models.DateField(_("birth date"), null=True, blank=True, editable=False)
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("developing organization"),
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    applied_on = models.DateField(_("applied on"))
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.APPLICANT, editable=False
    )
    last_step = models.PositiveSmallIntegerField(_("last step"), default=0, editable=False)
    last_step_on = models.DateField(_("last step on"), null=True, blank=True, editable=False)
    member = models.OneToOneField(
        PartyMember,
        verbose_name=_("party member record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidacy",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["-applied_on", "-id"]
        constraints = [
            unique_protected("id_number_index", name="candidate_unique_id_number"),
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(worker__isnull=False),
                name="candidate_one_per_worker",
            ),
        ]
        indexes = [models.Index(fields=["stage", "organization"], name="candidate_stage_org")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.derive_birth_date()
        super().save(*args, **kwargs)

    def derive_birth_date(self) -> None:
        """The birth date from the ID number, or from the linked worker's."""
        self.birth_date = None
        if self.id_number:
            try:
                checked = check_resident_id(self.id_number)
            except ValidationError:
                return
            self.id_number, self.birth_date = checked.value, checked.birth_date
        elif self.worker_id:
            self.birth_date = self.worker.birth_date

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.id_number:
            try:
                check_resident_id(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages[0]
        if errors:
            raise ValidationError(errors)
        self.derive_birth_date()


class Step(models.Model):
    """One dated step of a candidate (immutable: recorded, never changed or deleted)."""

    scope = ScopeRule(
        organization="candidate__organization",
        region="candidate__region",
        industry="candidate__industry",
    )

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("step number"))
    code = models.CharField(_("step"), max_length=24, choices=StepCode.choices)
    on = models.DateField(_("date"))
    actor = user_reference(_("recorded by"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pipeline step")
        verbose_name_plural = _("pipeline steps")
        ordering = ["candidate", "number", "on", "id"]
        indexes = [models.Index(fields=["code", "on"], name="step_code_on")]

    def __str__(self) -> str:
        return f"{self.number}. {self.get_code_display()}（{self.on:%Y-%m-%d}）"
