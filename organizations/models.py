"""Geography, sectors, the party-organization tree, enterprises and who sees what."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.identity import check_uscc, normalize_uscc
from core.trees import MaterializedPathNode

from .choices import (
    CoverageMode,
    EnterpriseKind,
    EnterpriseStatus,
    GrantKind,
    InstructorGrade,
    OrganizationBasis,
    OrganizationKind,
    OrganizationStatus,
    RegionLevel,
)
from .scoping import ScopeRule

K = OrganizationKind

#: Which kinds may sit directly under which (a branch is the lowest level and has no children).
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    K.WORKING_COMMITTEE: frozenset({K.WORKING_COMMITTEE}),
    K.INDUSTRY_COMMITTEE: frozenset({K.WORKING_COMMITTEE}),
    K.PRIMARY_COMMITTEE: frozenset(
        {K.WORKING_COMMITTEE, K.INDUSTRY_COMMITTEE, K.PRIMARY_COMMITTEE}
    ),
    K.GENERAL_BRANCH: frozenset({K.WORKING_COMMITTEE, K.INDUSTRY_COMMITTEE, K.PRIMARY_COMMITTEE}),
    K.BRANCH: frozenset(
        {K.WORKING_COMMITTEE, K.INDUSTRY_COMMITTEE, K.PRIMARY_COMMITTEE, K.GENERAL_BRANCH}
    ),
    K.JOINT_BRANCH: frozenset(
        {K.WORKING_COMMITTEE, K.INDUSTRY_COMMITTEE, K.PRIMARY_COMMITTEE, K.GENERAL_BRANCH}
    ),
    K.MOBILE_BRANCH: frozenset(
        {K.WORKING_COMMITTEE, K.INDUSTRY_COMMITTEE, K.PRIMARY_COMMITTEE, K.GENERAL_BRANCH}
    ),
    K.FUNCTIONAL: frozenset({K.WORKING_COMMITTEE, K.INDUSTRY_COMMITTEE, K.PRIMARY_COMMITTEE}),
}
#: Kinds that may stand at the root of the tree.
ROOT_KINDS = frozenset({K.WORKING_COMMITTEE})
#: A joint branch brings together the units that each have fewer than 3 full members: at most 5.
JOINT_BRANCH_MAX_ENTERPRISES = 5


class Region(MaterializedPathNode):
    """An administrative division (GB/T 2260 code) or a management zone.

    A management zone (e.g. 常州经开区) groups streets that statutorily stay in their district:
    the streets keep their district parent and point to the zone through ``managed_by``.
    """

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    managed_by = models.ForeignKey(
        "self",
        verbose_name=_("management zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_streets",
        limit_choices_to={"level": RegionLevel.ZONE},
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def path_segment(self) -> str:
        return self.code

    def clean(self):
        super().clean()
        if not self.code.isdigit() or len(self.code) not in (6, 9, 12):
            raise ValidationError(
                {"code": gettext("A division code has 6, 9 or 12 digits.")}, code="code"
            )


class Department(models.Model):
    """A member unit of the task force (工作专班成员单位), e.g. the postal administration."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Industry(models.Model):
    """A sector of the new employment groups, with its competent department."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    department = models.ForeignKey(
        Department,
        verbose_name=_("competent department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="industries",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class PartyOrganization(MaterializedPathNode):
    """A node of the party-organization tree, from the working committee down to branches."""

    scope = ScopeRule(organization="", region="region", industry="industry")

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Stable code that rosters refer to.")
    )
    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    basis = models.CharField(
        _("formed"),
        max_length=16,
        choices=OrganizationBasis.choices,
        default=OrganizationBasis.UNIT,
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    host_enterprise = models.ForeignKey(
        "Enterprise",
        verbose_name=_("host unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_organizations",
        help_text=_("The unit an organization formed in one unit belongs to."),
    )
    secretary_name = models.CharField(_("secretary"), max_length=32, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OrganizationKind.JOINT_BRANCH) | Q(basis=OrganizationBasis.JOINT),
                name="joint_branch_is_formed_jointly",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == OrganizationStatus.ACTIVE

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.parent_id is None:
            if self.kind and self.kind not in ROOT_KINDS:
                errors["parent"] = gettext("Only a working committee may stand at the root.")
        elif self.kind:
            parent_kind = self.parent.kind
            if parent_kind not in ALLOWED_PARENT_KINDS.get(self.kind, frozenset()):
                errors["parent"] = gettext("A %(kind)s cannot be placed under a %(parent)s.") % {
                    "kind": OrganizationKind(self.kind).label,
                    "parent": OrganizationKind(parent_kind).label,
                }
        if self.kind == OrganizationKind.JOINT_BRANCH and self.basis != OrganizationBasis.JOINT:
            errors["basis"] = gettext("A joint branch is formed jointly by several units.")
        if self.basis != OrganizationBasis.UNIT and self.host_enterprise_id:
            errors["host_enterprise"] = gettext(
                "Only an organization formed in one unit has a host unit."
            )
        if self.kind == OrganizationKind.INDUSTRY_COMMITTEE and not self.industry_id:
            errors["industry"] = gettext("An industry committee needs its industry.")
        if self.term_ends_on and self.founded_on and self.term_ends_on < self.founded_on:
            errors["term_ends_on"] = gettext("The term cannot end before the founding date.")
        if errors:
            raise ValidationError(errors)


def uscc_warnings_of(uscc: str) -> list[str]:
    """Doubts about a (valid) unified social credit code that do not block saving."""
    try:
        return check_uscc(uscc).warnings
    except ValidationError:
        return []


class Enterprise(models.Model):
    """An enterprise, platform, regional operator, outlet, MCN agency or fleet.

    ``coverage_mode`` is derived by ``services.enterprise_refresh_coverage`` from the
    organization that covers it and its work-coverage links; nobody types it.
    """

    scope = ScopeRule(
        organization="party_organization",
        region="region",
        industry="industry",
        platform="platform",
        platform_self=True,
    )

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=128, db_index=True)
    kind = models.CharField(_("kind"), max_length=24, choices=EnterpriseKind.choices)
    platform = models.ForeignKey(
        "self",
        verbose_name=_("platform brand"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"kind": EnterpriseKind.PLATFORM_HQ},
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="enterprises"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    worker_count = models.PositiveIntegerField(_("workers"), default=0)
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("covering party organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="covered_enterprises",
    )
    has_liaison = models.BooleanField(_("has a party-building liaison"), default=False)
    has_union_or_league = models.BooleanField(_("has a union or youth-league group"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.OPERATING,
    )
    coverage_mode = models.CharField(
        _("coverage"),
        max_length=16,
        choices=CoverageMode.choices,
        default=CoverageMode.NONE,
        editable=False,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["industry", "region"]),
            models.Index(fields=["platform"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.uscc = normalize_uscc(self.uscc)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        try:
            self.uscc = check_uscc(self.uscc).value
        except ValidationError as exc:
            errors["uscc"] = exc.messages[0]
        if self.kind == EnterpriseKind.PLATFORM_HQ and self.platform_id:
            errors["platform"] = gettext("A platform headquarters is its own brand.")
        if self.platform_id and self.pk and self.platform_id == self.pk:
            errors["platform"] = gettext("An enterprise cannot be its own platform.")
        if errors:
            raise ValidationError(errors)

    @property
    def uscc_warnings(self) -> list[str]:
        return uscc_warnings_of(self.uscc)


class Instructor(models.Model):
    """A party-building instructor (党建工作指导员): a full member sent by a department."""

    scope = ScopeRule(organization="organization", industry="organization__industry")

    name = models.CharField(_("name"), max_length=32)
    department = models.ForeignKey(
        Department,
        verbose_name=_("sending department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructors",
    )
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("managing organization"),
        on_delete=models.PROTECT,
        related_name="instructors",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("party-building instructor")
        verbose_name_plural = _("party-building instructors")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class InstructorAssignment(models.Model):
    """An instructor sent to guide an enterprise; open while ``ended_on`` is empty."""

    scope = ScopeRule(
        organization="instructor__organization",
        region="enterprise__region",
        industry="enterprise__industry",
    )

    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="instructor_assignments",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("instructor assignment")
        verbose_name_plural = _("instructor assignments")
        ordering = ["-started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instructor", "enterprise"],
                condition=Q(ended_on__isnull=True),
                name="one_open_assignment_per_instructor_enterprise",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instructor} → {self.enterprise}"

    def clean(self):
        super().clean()
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": gettext("The end cannot come before the start.")})


class InstructorEvaluation(models.Model):
    """The yearly grade of an instructor."""

    scope = ScopeRule(organization="instructor__organization")

    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=24, choices=InstructorGrade.choices)

    class Meta:
        verbose_name = _("instructor evaluation")
        verbose_name_plural = _("instructor evaluations")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["instructor", "year"], name="one_grade_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.instructor} {self.year} {self.get_grade_display()}"


class ScopeGrant(models.Model):
    """What a user may see: the whole city, an organization subtree, a region subtree,
    (for a partner system's service user) the units of one platform, or (for the staff of a
    task-force member unit) what is assigned to that department."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="scope_grants",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=GrantKind.choices)
    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    platform = models.ForeignKey(
        Enterprise,
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": EnterpriseKind.PLATFORM_HQ},
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("member unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scope grant")
        verbose_name_plural = _("scope grants")
        constraints = [
            models.CheckConstraint(
                name="scope_grant_target_matches_kind",
                condition=(
                    Q(
                        kind=GrantKind.CITY,
                        organization__isnull=True,
                        region__isnull=True,
                        platform__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        kind=GrantKind.ORGANIZATION,
                        organization__isnull=False,
                        region__isnull=True,
                        platform__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        kind=GrantKind.REGION,
                        organization__isnull=True,
                        region__isnull=False,
                        platform__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        kind=GrantKind.PARTNER,
                        organization__isnull=True,
                        region__isnull=True,
                        platform__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        kind=GrantKind.DEPARTMENT,
                        organization__isnull=True,
                        region__isnull=True,
                        platform__isnull=True,
                        department__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        target = self.organization or self.region or self.platform or self.department
        label = GrantKind(self.kind).label
        return f"{self.user}: {label}" + (f" · {target}" if target else "")

    def clean(self):
        super().clean()
        required = {
            GrantKind.ORGANIZATION: "organization",
            GrantKind.REGION: "region",
            GrantKind.PARTNER: "platform",
            GrantKind.DEPARTMENT: "department",
        }.get(self.kind)
        errors = {}
        for name in ("organization", "region", "platform", "department"):
            value = getattr(self, f"{name}_id")
            if name == required and value is None:
                errors[name] = gettext("This grant needs its %(name)s.") % {
                    "name": self._meta.get_field(name).verbose_name
                }
            elif name != required and value is not None:
                errors[name] = gettext("Leave this empty for this kind of grant.")
        if errors:
            raise ValidationError(errors)
