"""The admin of the two finds: read-only here (the review queue and the case flow have their
pages)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import pii
from organizations.admin import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin

from ..models import (
    Case,
    CaseEvent,
    MatchProposal,
    MemberClaim,
)
from .identity import RevealMixin


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MatchProposal)
class MatchProposalAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("worker", "member", "rule", "score", "status", "decided_at", "created_at")
    list_filter = ("status", "rule")
    search_fields = ("worker__name", "member__name", "member__member_id")
    list_select_related = ("worker", "member")
    fields = (
        "worker",
        "member",
        "rule",
        "score",
        "evidence",
        "status",
        "decided_by",
        "decided_at",
        "created_at",
    )


class CaseEventInline(ScopedReadOnlyInline):
    model = CaseEvent
    fields = ("at", "from_status", "to_status", "actor_label", "note")
    show_change_link = False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("id", "status", "origin", "worker", "member", "organization", "owner", "due_on")
    list_filter = ("status", "origin", ("due_on", admin.DateFieldListFilter))
    search_fields = ("worker__name", "member__name", "member__member_id")
    list_select_related = ("worker", "member", "organization", "owner")
    fields = (
        "origin",
        "status",
        "worker",
        "member",
        "proposal",
        "claim",
        "organization",
        "region",
        "industry",
        "owner",
        "due_on",
        "created_at",
        "closed_at",
    )
    inlines = (CaseEventInline,)


@admin.register(MemberClaim)
class MemberClaimAdmin(RevealMixin, ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = (
        "reference",
        "channel",
        "name",
        "id_number_masked",
        "phone_masked",
        "home_organization_name",
        "employer_name",
        "created_at",
    )
    list_filter = ("channel",)
    search_fields = ("reference", "name")
    fields = (
        "reference",
        "channel",
        "name",
        "id_number_masked",
        "phone_masked",
        "home_organization_name",
        "employer_name",
        "enterprise",
        "industry",
        "region",
        "work_place",
        "created_at",
    )
    readonly_fields = ("id_number_masked", "phone_masked", "created_at")

    @admin.display(description=_("resident ID number"))
    def id_number_masked(self, obj):
        return pii.display(obj, "id_number")

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return pii.display(obj, "phone")
