"""Workers, party members and the two finds (DESIGN.md §6, people).

Resident ids and phones are :class:`core.pii.ProtectedField` values: stored encrypted with a
keyed blind index beside them. Birth date, gender and the name's pinyin are derived on save so
that matching reads plain indexed columns and never decrypts.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.dates import add_years
from core.identity import check_resident_id
from core.pii import ProtectedField, ProtectedModelMixin, blind_index_field, unique_protected
from organizations.models import Enterprise, Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from ..choices import (
    DECLARED_MEMBER_STATUSES,
    Gender,
    MemberStatus,
    PoliticalStatus,
    WorkerSourceKind,
)
from ..names import name_pinyin


def _plain_blind_index_field() -> models.CharField:
    """A blind-index column without Django's index (and, on PostgreSQL, its second ``LIKE``
    index): the models declare partial indexes on it instead."""
    field = blind_index_field()
    field.db_index = False
    return field


def id_number_warnings_of(id_number: str | None, *, texts: tuple[str] | None = None) -> list[str]:
    """Doubts about a (valid) resident ID number that do not block saving (``texts``:
    ``core.identity.resident_id_warning_texts()``, looked up once for many numbers)."""
    try:
        return check_resident_id(id_number, texts=texts).warnings if id_number else []
    except ValidationError:
        return []


class PersonFields(ProtectedModelMixin, models.Model):
    """Name, protected resident id and phone, and what is derived from them.

    ``identity_changed_at`` moves whenever a field the matcher reads changes, so the two-finds
    job can pick up only new or changed people: those changed since the watermark of the last
    completed run (``members.finds``), with no per-person "matched" flag to write back.

    ``row_hash`` is the hash of the roster row that last wrote the record (intake): the same
    row sent again is recognized without comparing, encrypting or writing anything. Any other
    save clears it, so that a roster row re-sent after a hand edit is applied again.

    Indexes: the blind indexes are the exact-match keys (look-ups by ID or phone, the
    matcher's exact rule, uniqueness of a member's ID) and are indexed only where non-empty
    (partial indexes); nothing filters by name with an index-able operator (``icontains``
    only), so the name has none.
    """

    #: Fields whose change makes the person due for matching again.
    MATCH_FIELDS = ("name", "id_number", "phone", "region_id", "industry_id")

    name = models.CharField(_("name"), max_length=64)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, blank=True, editable=False)
    id_number = ProtectedField(
        _("resident ID number"), kind="resident_id", index_field="id_number_index", blank=True
    )
    id_number_index = _plain_blind_index_field()
    phone = ProtectedField(_("phone"), kind="phone", index_field="phone_index", blank=True)
    phone_index = _plain_blind_index_field()
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, blank=True, editable=False
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True, editable=False)
    identity_changed_at = models.DateTimeField(
        _("identity changed at"), default=timezone.now, editable=False
    )
    row_hash = models.BigIntegerField(_("roster row hash"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.derive_identity()
        self.row_hash = None  # a hand edit: the next roster row is applied, not skipped
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "row_hash" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "row_hash"]
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
        return id_number_warnings_of(self.id_number)

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

    # Indexed by the unique (source, external_id) constraint, whose first column it is.
    source = models.SlugField(_("source roster"), max_length=64, db_index=False)
    source_kind = models.CharField(
        _("kind of source"),
        max_length=24,
        choices=WorkerSourceKind.choices,
        default=WorkerSourceKind.PLATFORM_ROSTER,
    )
    external_id = models.CharField(_("id in the source"), max_length=64)
    # Indexed by (industry, region) below, whose first column it is.
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workers",
        db_index=False,
    )
    # enterprise: scope (enterprise__party_organization) and SET_NULL when a unit is deleted.
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
    )  # platform: a partner's scope, the platform filter of the lists
    # region: region scope (joined through the region path), the region filter, PROTECT.
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
    #: When a roster created or changed this row. A roster that sends the worker again
    #: unchanged writes nothing here: it records a :class:`~members.models.RosterSighting`
    #: (see :func:`members.models.rosters.with_last_seen` for the effective value).
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = pgettext_lazy("people", "workers")
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
        # Each index serves a query or a constraint (PostgreSQL also keeps the table at
        # fillfactor 85, migration 0003, so that updates of unindexed columns stay HOT):
        indexes = [
            # the industry scope of a committee (industry, then its region subtree) and the
            # industry filter; also the industry FK (PROTECT checks).
            models.Index(fields=["industry", "region"], name="worker_industry_region"),
            # exact matching and look-ups by ID or phone, only where there is a value.
            models.Index(
                fields=["id_number_index"],
                name="worker_id_number_index",
                condition=~Q(id_number_index=""),
            ),
            models.Index(
                fields=["phone_index"], name="worker_phone_index", condition=~Q(phone_index="")
            ),
            # workers who declare membership but match no record (a small share).
            models.Index(
                fields=["political_status"],
                name="worker_declares_membership",
                condition=Q(political_status__in=sorted(DECLARED_MEMBER_STATUSES)),
            ),
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
        indexes = [
            models.Index(fields=["status"], name="party_member_status"),
            # look-ups by phone (the ID index is the unique constraint above).
            models.Index(
                fields=["phone_index"],
                name="party_member_phone_index",
                condition=~Q(phone_index=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.member_id}）"

    def save(self, *args, **kwargs):
        self.derive_probation()
        if self.derive_region():
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "region" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "region"]
        super().save(*args, **kwargs)

    def derive_region(self, regions_of: dict[int, int | None] | None = None) -> bool:
        """Locate the member (their ``region``, which district and street staff see them by):
        where the organization hosting them is, else the one holding their relation, else
        the work region they were given. ``save`` calls it; bulk paths pass ``regions_of``
        (organization id → region id). Returns whether the region changed."""
        for org_id, attr in (
            (self.host_organization_id, "host_organization"),
            (self.organization_id, "organization"),
        ):
            if not org_id:
                continue
            region_id = (
                regions_of.get(org_id) if regions_of is not None else getattr(self, attr).region_id
            )
            if region_id:
                changed = region_id != self.region_id
                self.region_id = region_id
                return changed
        return False

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
    return add_years(day, 1)
