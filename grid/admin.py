"""The admin face of the grid, on the scoped base admin: lists, change views and choices are
scoped; tasks, volunteers, rewards and campaigns save through the services; claims, events,
ledger entries and redemptions are read-only here (they are written by the services' steps)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import ReadOnlyAdminMixin
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .models import (
    Campaign,
    Claim,
    PointsAccount,
    PointsEntry,
    Redemption,
    RewardItem,
    Task,
    TaskEvent,
    Volunteer,
)


@admin.register(Volunteer)
class VolunteerAdmin(ScopedModelAdmin):
    list_display = ("worker", "status", "channel", "skills", "load", "joined_at")
    list_filter = ("status", "channel")
    list_select_related = ("worker",)
    search_fields = ("worker__name",)
    raw_id_fields = ("worker",)
    fields = ("worker", "channel", "skills", "availability", "status", "load")
    readonly_fields = ("status", "load")
    services = ServiceSet.of(services, "volunteer")


class TaskEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TaskEvent
    fields = ("at", "kind", "claim", "actor", "note")
    extra = 0


@admin.register(Task)
class TaskAdmin(ScopedModelAdmin):
    list_display = ("title", "kind", "region", "status", "filled", "slots", "points", "starts_at")
    list_filter = ("status", "kind")
    list_select_related = ("region",)
    search_fields = ("title", "place")
    date_hierarchy = "starts_at"
    exclude = ("published_by",)
    readonly_fields = ("status", "filled")
    inlines = [TaskEventInline]
    services = ServiceSet.of(services, "task")


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = (
        "task",
        "volunteer",
        "status",
        "submitted_at",
        "flag_outside_window",
        "flag_too_far",
    )
    list_filter = ("status", "flag_outside_window", "flag_too_far")
    list_select_related = ("task", "volunteer__worker")
    exclude = ("decided_by",)
    actions = ["verify"]

    @admin.action(description=_("Verify the selected proof"))
    def verify(self, request, queryset):
        done = 0
        for claim in queryset:
            try:
                services.claim_verify(actor=request.user, claim=claim)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{claim}: {'; '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, _("%(n)d verified.") % {"n": done})


@admin.register(PointsAccount)
class PointsAccountAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("volunteer", "balance", "earned_total", "updated_at")
    list_select_related = ("volunteer__worker",)
    search_fields = ("volunteer__worker__name",)


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("account", "kind", "points", "balance_after", "reason", "at")
    list_filter = ("kind",)
    list_select_related = ("account",)
    date_hierarchy = "at"


@admin.register(RewardItem)
class RewardItemAdmin(ScopedModelAdmin):
    list_display = ("name", "station", "cost", "stock", "active")
    list_filter = ("active",)
    list_select_related = ("station",)
    search_fields = ("name", "station__name")
    raw_id_fields = ("station",)
    services = ServiceSet.of(services, "reward")


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("account", "item", "quantity", "points", "at")
    list_select_related = ("account", "item")
    date_hierarchy = "at"


@admin.register(Campaign)
class CampaignAdmin(ScopedModelAdmin):
    list_display = ("name", "region", "status", "target_volunteers", "opened_at", "closed_at")
    list_filter = ("status",)
    list_select_related = ("region",)
    exclude = ("opened_by", "report", "status", "closed_at")
    services = ServiceSet.of(services, "campaign")
