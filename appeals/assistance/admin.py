"""The admin face of the assistance funds, on :class:`~organizations.scoped.ScopedModelAdmin`:
lists, change views and choices are scoped; funds, items and new disbursements are saved
through ``appeals.assistance.services`` (so the admin refuses an overdraw with the same field
error as the API). Disbursements are read-only once made: cancel one on the portal's fund page
or through the API (it needs a reason and keeps the row).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organizations import scoping
from organizations.scoped import ScopedModelAdmin, ServiceSet

from ..templatetags.assistance_tags import yuan
from . import selectors, services
from .models import AssistanceFund, Disbursement, FundInKindItem

__all__ = ["AssistanceFundAdmin", "DisbursementAdmin", "FundInKindItemAdmin"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return scoping.restrict(super().get_queryset(request), request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FundItemInline(_ReadOnlyInline):
    model = FundInKindItem
    fields = ("name", "unit", "quantity_budget")
    readonly_fields = fields
    verbose_name_plural = _("in-kind items (change them under “in-kind items”)")


class DisbursementInline(_ReadOnlyInline):
    model = Disbursement
    fields = ("disbursed_on", "beneficiary_masked", "purpose", "amount", "item", "quantity")
    fields += ("approver", "status")
    readonly_fields = fields
    ordering = ("-disbursed_on", "-id")
    max_num = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("worker", "member", "item", "approver")
            .order_by("-disbursed_on", "-id")
        )

    @admin.display(description=_("beneficiary"))
    def beneficiary_masked(self, obj) -> str:
        return selectors.masked_name(obj.beneficiary)


@admin.register(AssistanceFund)
class AssistanceFundAdmin(ScopedModelAdmin):
    list_display = (
        "name",
        "source",
        "year",
        "owner_organization",
        "budget_display",
        "disbursed_display",
        "remaining_display",
        "beneficiary_count",
        "status",
    )
    list_filter = ("year", "source", "status")
    search_fields = ("name",)
    list_select_related = ("owner_organization",)
    autocomplete_fields = ("owner_organization",)
    fields = ("name", "source", "year", "budget", "owner_organization", "status", "note")
    inlines = (FundItemInline, DisbursementInline)
    services = ServiceSet.of(services, "fund")

    def get_queryset(self, request):
        return selectors.with_totals(super().get_queryset(request))

    @admin.display(description=_("budget (yuan)"), ordering="budget")
    def budget_display(self, obj) -> str:
        return yuan(obj.budget)

    @admin.display(description=_("disbursed (yuan)"), ordering="disbursed")
    def disbursed_display(self, obj) -> str:
        return yuan(obj.disbursed)

    @admin.display(description=_("remaining (yuan)"))
    def remaining_display(self, obj) -> str:
        return yuan(selectors.remaining(obj))

    @admin.display(description=_("beneficiaries"), ordering="beneficiary_count")
    def beneficiary_count(self, obj) -> int:
        return obj.beneficiary_count


@admin.register(FundInKindItem)
class FundInKindItemAdmin(ScopedModelAdmin):
    list_display = ("name", "unit", "quantity_budget", "fund")
    list_filter = ("fund",)
    search_fields = ("name", "fund__name")
    list_select_related = ("fund",)
    autocomplete_fields = ("fund",)
    fields = ("fund", "name", "unit", "quantity_budget")
    services = ServiceSet.of(services, "fund_item")


@admin.register(Disbursement)
class DisbursementAdmin(ScopedModelAdmin):
    """New disbursements go through ``disbursement_create``; existing ones are read-only."""

    list_display = (
        "disbursed_on",
        "fund",
        "beneficiary_masked",
        "purpose",
        "amount",
        "item",
        "quantity",
        "approver",
        "status",
    )
    list_filter = ("purpose", "status", "fund")
    search_fields = ("appeal__reference", "fund__name")
    list_select_related = ("fund", "worker", "member", "item", "approver")
    date_hierarchy = "disbursed_on"
    autocomplete_fields = ("fund", "worker", "member", "item", "appeal")
    fields = (
        "fund",
        "worker",
        "member",
        "amount",
        "item",
        "quantity",
        "purpose",
        "disbursed_on",
        "appeal",
        "note",
    )
    services = ServiceSet.of(services, "disbursement")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        # Read-only view of a made disbursement: the masked beneficiary, never the person's
        # identifiers, and the cancellation if any.
        return (
            "fund",
            "beneficiary_masked",
            "amount",
            "item",
            "quantity",
            "purpose",
            "disbursed_on",
            "approver",
            "appeal",
            "note",
            "status",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "created_at",
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("beneficiary"))
    def beneficiary_masked(self, obj) -> str:
        return selectors.masked_name(obj.beneficiary)
