"""The party-organization tree: which kinds may sit under which, and the organizations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.trees import MaterializedPathNode

from ..choices import (
    OrganizationBasis,
    OrganizationKind,
    OrganizationStatus,
)
from ..scoping import ScopeRule
from .regions import Region
from .sectors import Industry

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
# Industry chains (产业链党建): the comprehensive committee stands under the working committee,
# each chain committee under the comprehensive committee, and the chain's enterprises' own
# committees and branches under their chain committee.
ALLOWED_PARENT_KINDS[K.CHAIN_GENERAL_COMMITTEE] = frozenset({K.WORKING_COMMITTEE})
ALLOWED_PARENT_KINDS[K.CHAIN_COMMITTEE] = frozenset({K.CHAIN_GENERAL_COMMITTEE})
for _kind in (K.PRIMARY_COMMITTEE, K.GENERAL_BRANCH, K.BRANCH, K.JOINT_BRANCH, K.FUNCTIONAL):
    ALLOWED_PARENT_KINDS[_kind] = ALLOWED_PARENT_KINDS[_kind] | {K.CHAIN_COMMITTEE}
#: Kinds that may stand at the root of the tree.
ROOT_KINDS = frozenset({K.WORKING_COMMITTEE})
#: A joint branch brings together the units that each have fewer than 3 full members: at most 5.
JOINT_BRANCH_MAX_ENTERPRISES = 5


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
