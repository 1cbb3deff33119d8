"""FilterSets of the members app, shared by the API and the portal lists.

Exact ID and phone filters go through the blind index (``core.pii.protected_lookup``): the
value is never compared in clear and never echoed back.
"""

from __future__ import annotations

import re

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core import filters as bounded
from core import pii
from organizations.choices import EnterpriseKind
from organizations.models import Enterprise, Industry, PartyOrganization
from organizations.scoped import RegionSubtreeFilter, ScopedFilterSet

from .choices import (
    CLOSED_CASE_STATUSES,
    CaseOrigin,
    CaseStatus,
    MatchRule,
    MemberStatus,
    PoliticalStatus,
    ProposalStatus,
    TransferLetterStatus,
    WorkerSourceKind,
)
from .models import Case, MatchProposal, PartyMember, TransferLetter, Worker
from .selectors import can_see_political_status

#: A lookup value given as its blind index (``bi:<hex>``), so that links such as the next
#: page or the export carry no plaintext ID or phone.
TOKEN_PREFIX = "bi:"
_TOKEN_RE = re.compile(r"^bi:[0-9a-f]{64}$")


def lookup_token(model, field_name: str, value: str) -> str:
    """The ``bi:<hex>`` form of an exact lookup value of ``model.field_name``."""
    if _TOKEN_RE.match(value or ""):
        return value
    kind = model._meta.get_field(field_name).kind
    return TOKEN_PREFIX + pii.blind_index(value, kind=kind)


class ProtectedExactFilter(django_filters.CharFilter):
    """``?id_number=…`` / ``?phone=…``: exact match through the field's blind index; the value
    may also be given as its ``bi:<hex>`` token."""

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        if _TOKEN_RE.match(value):
            index_field = qs.model._meta.get_field(self.field_name).index_field
            return qs.filter(**{index_field: value[len(TOKEN_PREFIX) :]})
        return qs.filter(pii.protected_lookup(qs.model, self.field_name, value))


class WorkerFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or id in the source"), method="filter_q")
    id_number = ProtectedExactFilter(field_name="id_number", label=_("Resident ID number (exact)"))
    phone = ProtectedExactFilter(field_name="phone", label=_("Phone (exact)"))
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), to_field_name="code"
    )
    region = RegionSubtreeFilter(label=_("Work region (code, includes its subtree)"))
    platform = django_filters.ModelChoiceFilter(
        label=_("Platform"), queryset=Enterprise.objects.filter(kind=EnterpriseKind.PLATFORM_HQ)
    )
    enterprise = django_filters.ModelChoiceFilter(
        label=_("Enterprise"), queryset=Enterprise.objects.all()
    )
    political_status = django_filters.MultipleChoiceFilter(
        label=_("Declared political status"), choices=PoliticalStatus.choices
    )
    active = django_filters.BooleanFilter(label=_("Active"))
    source = django_filters.CharFilter(label=_("Source roster"))
    source_kind = django_filters.ChoiceFilter(
        label=_("Kind of source"), choices=WorkerSourceKind.choices
    )

    class Meta:
        model = Worker
        fields = [
            "q",
            "id_number",
            "phone",
            "industry",
            "region",
            "platform",
            "enterprise",
            "political_status",
            "active",
            "source",
            "source_kind",
        ]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if not can_see_political_status(getattr(request, "user", None)):
            # Filtering by it would disclose it as surely as showing it.
            self.filters.pop("political_status", None)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(external_id=value))


class OrganizationSubtreeFilter(django_filters.ModelChoiceFilter):
    """Members held or hosted anywhere under the chosen organization."""

    def __init__(self, *args, paths: tuple[str, ...] = (), **kwargs):
        self.paths = paths
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        q = Q()
        for path in self.paths:
            q |= Q(**{f"{path}__path__startswith": value.path})
        return qs.filter(q)


class PartyMemberFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or roster id"), method="filter_q")
    id_number = ProtectedExactFilter(field_name="id_number", label=_("Resident ID number (exact)"))
    phone = ProtectedExactFilter(field_name="phone", label=_("Phone (exact)"))
    status = django_filters.MultipleChoiceFilter(
        label=_("Membership status"), choices=MemberStatus.choices
    )
    organization = OrganizationSubtreeFilter(
        label=_("Organization (includes its subtree)"),
        queryset=PartyOrganization.objects.order_by("path"),
        paths=("organization", "host_organization"),
    )
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    is_mobile = django_filters.BooleanFilter(label=_("Mobile member"))
    lost_contact = django_filters.BooleanFilter(
        label=_("Out of contact"),
        field_name="lost_contact_since",
        lookup_expr="isnull",
        exclude=True,
    )
    lost_contact_before = bounded.DateFilter(
        label=_("Out of contact since on or before"),
        field_name="lost_contact_since",
        lookup_expr="lte",
    )

    class Meta:
        model = PartyMember
        fields = [
            "q",
            "id_number",
            "phone",
            "status",
            "organization",
            "region",
            "is_mobile",
            "lost_contact",
            "lost_contact_before",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(member_id=value))


class LetterFilterSet(ScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=TransferLetterStatus.choices
    )
    member = django_filters.ModelChoiceFilter(
        label=_("Party member"), queryset=PartyMember.objects.all()
    )
    expiring_before = bounded.DateFilter(
        label=_("Issued and valid until on or before"), method="filter_expiring_before"
    )

    class Meta:
        model = TransferLetter
        fields = ["status", "member", "expiring_before"]

    @extend_schema_field(OpenApiTypes.DATE)
    def filter_expiring_before(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            status=TransferLetterStatus.ISSUED,
            valid_until__lte=value,
            valid_until__gte=timezone.localdate(),
        )


class CaseFilterSet(ScopedFilterSet):
    """Filters of the three ledgers (each page shows the ones that make sense for it)."""

    q = django_filters.CharFilter(label=_("Name or reference number"), method="filter_q")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    origin = django_filters.MultipleChoiceFilter(label=_("Found by"), choices=CaseOrigin.choices)
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=get_user_model().objects.filter(is_active=True)
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), to_field_name="code"
    )
    region = RegionSubtreeFilter(label=_("Region (code, includes its subtree)"))
    organization = django_filters.ModelChoiceFilter(
        label=_("Placed in"), queryset=PartyOrganization.objects.all()
    )
    member_status = django_filters.ChoiceFilter(
        label=_("Membership status"), field_name="member__status", choices=MemberStatus.choices
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    opened_after = bounded.DateFilter(
        label=_("Opened on or after"), field_name="created_at", lookup_expr="date__gte"
    )
    opened_before = bounded.DateFilter(
        label=_("Opened on or before"), field_name="created_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Case
        fields = ["q", "status", "origin", "owner", "industry", "region", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Owners: only users the requester may hand a case to (never partner systems).
        from .selectors import case_owner_choices

        request = kwargs.get("request")
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            self.filters["owner"].queryset = case_owner_choices(user)

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(member__name__icontains=value)
            | Q(worker__name__icontains=value)
            | Q(claim__name__icontains=value)
            | Q(claim__reference__iexact=value)
        )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(due_on__lt=timezone.localdate()) & ~Q(status__in=CLOSED_CASE_STATUSES)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class MatchProposalFilterSet(ScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ProposalStatus.choices)
    rule = django_filters.ChoiceFilter(label=_("Rule"), choices=MatchRule.choices)
    min_score = bounded.NumberFilter(
        label=_("Score at least (0–100)"),
        field_name="score",
        lookup_expr="gte",
        min_value=0,
        max_value=100,
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"),
        field_name="worker__industry",
        queryset=Industry.objects.all(),
        to_field_name="code",
    )
    region = RegionSubtreeFilter(
        label=_("Region (code, includes its subtree)"), region_path="worker__region"
    )

    class Meta:
        model = MatchProposal
        fields = ["status", "rule", "min_score", "industry", "region"]
