"""Workers, party members and the two finds (DESIGN.md §6, people).

Resident ids and phones are :class:`core.pii.ProtectedField` values: stored encrypted with a
keyed blind index beside them. Birth date, gender and the name's pinyin are derived on save so
that matching reads plain indexed columns and never decrypts.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.identity import check_resident_id
from core.models import ImmutableRecord
from core.pii import ProtectedField, ProtectedModelMixin, blind_index_field, unique_protected
from organizations.models import Enterprise, Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from .choices import (
    DECLARED_MEMBER_STATUSES,
    CaseOrigin,
    CaseStatus,
    ClaimChannel,
    Gender,
    MatchRule,
    MemberStatus,
    PoliticalStatus,
    ProposalStatus,
    TransferLetterStatus,
    WorkerSourceKind,
)
from .names import name_pinyin


class PersonFields(ProtectedModelMixin, models.Model):
    """Name, protected resident id and phone, and what is derived from them.

    ``identity_changed_at`` moves whenever a field the matcher reads changes, so the two-finds
    job can pick up only new or changed people (``matched_at`` older than it, or empty).
    """

    #: Fields whose change makes the person due for matching again.
    MATCH_FIELDS = ("name", "id_number", "phone", "region_id", "industry_id")

    name = models.CharField(_("name"), max_length=64, db_index=True)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, blank=True, editable=False)
    id_number = ProtectedField(
        _("resident ID number"), kind="resident_id", index_field="id_number_index", blank=True
    )
    id_number_index = blind_index_field()
    phone = ProtectedField(_("phone"), kind="phone", index_field="phone_index", blank=True)
    phone_index = blind_index_field()
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, blank=True, editable=False
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True, editable=False)
    identity_changed_at = models.DateTimeField(
        _("identity changed at"), default=timezone.now, editable=False
    )
    matched_at = models.DateTimeField(_("last matched at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.derive_identity()
        super().save(*args, **kwargs)

    def derive_identity(self) -> None:
        """Normalize the id (15 → 18 digits) and derive birth date, gender and name pinyin.
        An invalid id derives nothing; ``clean`` reports it."""
        self.name = (self.name or "").strip()
        self.name_pinyin = name_pinyin(self.name)
        self.birth_date, self.gender = None, ""
        if self.id_number:
            try:
                checked = check_resident_id(self.id_number)
            except ValidationError:
                return
            self.id_number = checked.value
            self.birth_date, self.gender = checked.birth_date, checked.gender

    @property
    def id_number_warnings(self) -> list[str]:
        try:
            return check_resident_id(self.id_number).warnings if self.id_number else []
        except ValidationError:
            return []

    def clean_fields(self, exclude=None):
        self.derive_identity()
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        if self.id_number:
            try:
                check_resident_id(self.id_number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages[0]}) from None


class Worker(PersonFields):
    """A worker of the new employment groups (新就业群体从业人员), from a roster or a survey.

    A row is keyed by (``source``, ``external_id``): the roster that sent it and that roster's
    own id, so a platform re-sending its roster updates rather than duplicates.
    """

    scope = ScopeRule(
        organization="enterprise__party_organization",
        region="region",
        industry="industry",
        platform="platform",
    )

    source = models.SlugField(_("source roster"), max_length=64)
    source_kind = models.CharField(
        _("kind of source"),
        max_length=24,
        choices=WorkerSourceKind.choices,
        default=WorkerSourceKind.PLATFORM_ROSTER,
    )
    external_id = models.CharField(_("id in the source"), max_length=64)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workers",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workers",
    )
    platform = models.ForeignKey(
        Enterprise,
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platform_workers",
        limit_choices_to={"kind": "platform_hq"},
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("work region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workers",
    )
    work_lat = models.FloatField(_("work latitude"), null=True, blank=True)
    work_lng = models.FloatField(_("work longitude"), null=True, blank=True)
    political_status = models.CharField(
        _("declared political status"),
        max_length=16,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
    )
    active = models.BooleanField(_("active"), default=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="worker_unique_source_external_id"
            ),
            models.CheckConstraint(
                name="worker_latitude_range",
                condition=Q(work_lat__isnull=True) | Q(work_lat__gte=-90, work_lat__lte=90),
            ),
            models.CheckConstraint(
                name="worker_longitude_range",
                condition=Q(work_lng__isnull=True) | Q(work_lng__gte=-180, work_lng__lte=180),
            ),
        ]
        indexes = [
            models.Index(fields=["industry", "region"]),
            models.Index(fields=["platform"]),
            models.Index(fields=["birth_date"]),
            models.Index(fields=["political_status"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.source}:{self.external_id}）"

    @property
    def declares_membership(self) -> bool:
        return self.political_status in DECLARED_MEMBER_STATUSES

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if (self.work_lat is None) != (self.work_lng is None):
            errors["work_lng" if self.work_lng is None else "work_lat"] = gettext(
                "Give both latitude and longitude, or neither."
            )
        if self.platform_id and self.platform.kind != "platform_hq":
            errors["platform"] = gettext("Choose a platform headquarters.")
        if errors:
            raise ValidationError(errors)


class PartyMember(PersonFields):
    """A party member on the membership roster (党员).

    ``organization`` holds the membership relation when it is local; a mobile member (流动党员)
    keeps the relation in ``home_organization_name`` elsewhere and takes part in a local
    ``host_organization`` (纳管).
    """

    scope = ScopeRule(
        organization=("organization", "host_organization"),
        region="region",
    )

    member_id = models.CharField(_("roster id"), max_length=64, unique=True)
    status = models.CharField(
        _("membership status"),
        max_length=16,
        choices=MemberStatus.choices,
        default=MemberStatus.FULL,
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    probation_due = models.DateField(_("probation ends on"), null=True, blank=True)
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("organization holding the relation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    home_organization_name = models.CharField(
        _("home organization elsewhere"), max_length=128, blank=True
    )
    host_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("host organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_members",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_members",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_members",
    )
    is_mobile = models.BooleanField(_("mobile member"), default=False)
    lost_contact_since = models.DateField(_("out of contact since"), null=True, blank=True)
    activity_card_number = models.CharField(_("activity card number"), max_length=32, blank=True)
    activity_card_issued_on = models.DateField(_("activity card issued on"), null=True, blank=True)
    activity_card_reviewed_on = models.DateField(
        _("activity card last reviewed on"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["member_id"]
        constraints = [
            unique_protected("id_number_index", name="party_member_unique_id_number"),
        ]
        indexes = [models.Index(fields=["birth_date"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.member_id}）"

    def save(self, *args, **kwargs):
        self.derive_probation()
        super().save(*args, **kwargs)

    def derive_probation(self) -> None:
        """A probationary member's probation ends one year after joining, unless recorded.
        ``save`` calls it; bulk paths (intake) call it themselves."""
        if self.status == MemberStatus.PROBATIONARY and self.joined_on and not self.probation_due:
            self.probation_due = _one_year_after(self.joined_on)

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.is_mobile and not (self.home_organization_name or self.organization_id):
            errors["home_organization_name"] = gettext(
                "A mobile member needs the organization that holds their relation."
            )
        if not self.is_mobile and not self.organization_id and not self.home_organization_name:
            errors["organization"] = gettext("Give the organization that holds the relation.")
        if self.status == MemberStatus.PROBATIONARY and not self.joined_on:
            errors["joined_on"] = gettext("A probationary member needs the date they joined.")
        if self.joined_on and self.joined_on > timezone.localdate():
            errors["joined_on"] = gettext("This date lies in the future.")
        if self.lost_contact_since and self.lost_contact_since > timezone.localdate():
            errors["lost_contact_since"] = gettext("This date lies in the future.")
        if errors:
            raise ValidationError(errors)


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class TransferLetter(models.Model):
    """A letter moving a member's relation (组织关系介绍信): DRAFT → ISSUED(valid_until) →
    RECEIVED / EXPIRED / RETURNED."""

    scope = ScopeRule(
        organization=("member__organization", "member__host_organization", "to_organization"),
        region="member__region",
    )

    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.CASCADE,
        related_name="transfer_letters",
    )
    from_organization_name = models.CharField(_("from organization"), max_length=128)
    to_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("to local organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_letters",
    )
    to_organization_name = models.CharField(
        _("to organization elsewhere"), max_length=128, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TransferLetterStatus.choices,
        default=TransferLetterStatus.DRAFT,
    )
    letter_number = models.CharField(_("letter number"), max_length=32, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    closed_on = models.DateField(_("received or returned on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer letter")
        verbose_name_plural = _("transfer letters")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if not self.to_organization_id and not self.to_organization_name:
            errors["to_organization"] = gettext("Give the organization the letter is addressed to.")
        if self.status != TransferLetterStatus.DRAFT:
            if not self.issued_on:
                errors["issued_on"] = gettext("An issued letter needs its date of issue.")
            if not self.valid_until:
                errors["valid_until"] = gettext("An issued letter needs its validity.")
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            errors["valid_until"] = gettext("A letter cannot expire before it is issued.")
        if errors:
            raise ValidationError(errors)


class MatchProposal(models.Model):
    """The matcher's claim "this worker is this party member", with the rule, the per-field
    evidence and the score that produced it, and the decision taken on it.

    One row per (worker, member) pair, ever: a rejected pair stays rejected and is never
    proposed again, and rerunning the matcher cannot duplicate a pair.
    """

    scope = ScopeRule(
        organization=(
            "worker__enterprise__party_organization",
            "member__organization",
            "member__host_organization",
        ),
        region="worker__region",
        industry="worker__industry",
    )

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="proposals"
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    rule = models.CharField(_("rule"), max_length=16, choices=MatchRule.choices)
    score = models.FloatField(_("score"))
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
        db_index=True,
    )
    job = models.ForeignKey(
        "core.JobRun",
        verbose_name=_("job run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "member"], name="one_proposal_per_pair")
        ]
        indexes = [models.Index(fields=["status", "-score"])]

    def __str__(self) -> str:
        return f"{self.worker} ≈ {self.member} ({self.score:.1f})"


class MemberClaim(ProtectedModelMixin, models.Model):
    """A party member reporting in (党员找组织) through the public form, a station QR code or a
    partner app. The submitter gets ``reference`` and sees nothing else."""

    scope = ScopeRule(region="region", industry="industry", submitted_by="submitted_by")

    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=ClaimChannel.choices)
    name = models.CharField(_("name"), max_length=64)
    id_number = ProtectedField(
        _("resident ID number"), kind="resident_id", index_field="id_number_index"
    )
    id_number_index = blind_index_field()
    phone = ProtectedField(_("phone"), kind="phone", index_field="phone_index")
    phone_index = blind_index_field()
    home_organization_name = models.CharField(_("home organization"), max_length=128)
    employer_name = models.CharField(_("employer"), max_length=128, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("work region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    work_place = models.CharField(_("where they work"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member report")
        verbose_name_plural = _("member reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def clean(self):
        super().clean()
        try:
            check_resident_id(self.id_number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages[0]}) from None


class Case(models.Model):
    """A found member followed until they are placed (回家) or the case is closed.

    A case starts from an accepted match proposal, a worker who declared membership, or a
    member's own report. Every change of ``status`` is a :class:`CaseEvent`; an open case has an
    ``owner`` and a ``due_on`` date for its next action.
    """

    scope = ScopeRule(
        organization=("organization", "member__organization", "member__host_organization"),
        region="region",
        industry="industry",
    )

    origin = models.CharField(_("origin"), max_length=16, choices=CaseOrigin.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.DISCOVERED,
        db_index=True,
    )
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    proposal = models.OneToOneField(
        MatchProposal,
        verbose_name=_("match proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    claim = models.OneToOneField(
        MemberClaim,
        verbose_name=_("member report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("local branch placed in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="found_member_cases",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_member_cases",
    )
    due_on = models.DateField(_("next action due on"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("found-member case")
        verbose_name_plural = _("found-member cases")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(worker__isnull=False) & Q(member__isnull=True),
                name="one_unmatched_case_per_worker",
            ),
            models.UniqueConstraint(
                fields=["worker", "member"],
                condition=Q(worker__isnull=False) & Q(member__isnull=False),
                name="one_case_per_worker_member",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        person = self.member or self.worker or self.claim
        return f"#{self.pk} {person} · {self.get_status_display()}"


class CaseEvent(ImmutableRecord):
    """One step of a case: from which status to which, by whom, when, with a note. Never
    changed or deleted once written (``core.models.ImmutableRecord``)."""

    scope = ScopeRule(
        organization=(
            "case__organization",
            "case__member__organization",
            "case__member__host_organization",
        ),
        region="case__region",
        industry="case__industry",
    )

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '—'} → {self.to_status}"
