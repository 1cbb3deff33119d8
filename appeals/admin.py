"""The admin face of appeals, on :class:`~organizations.scoped.ScopedModelAdmin`: lists and
change views are scoped; an appeal is filed through ``services.appeal_create`` and then moves
only through the workflow (the portal page or the API), so its state fields are read-only
here; events are immutable and shown read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import pii
from core.admin_mixins import ReadOnlyAdminMixin
from organizations.admin import CityWideWritesMixin
from organizations.inlines import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .assistance.admin import *  # noqa: F403  (the funds' admin classes register there)
from .models import (
    Appeal,
    AppealEvent,
    Category,
    Holiday,
    HolidayYear,
    HotSpotAlert,
    InboxMessage,
    PolicyMeasure,
    SLAPolicy,
)


@admin.register(Category)
class CategoryAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("code", "name", "description", "sort_order", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "keywords")


@admin.register(PolicyMeasure)
class PolicyMeasureAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("number", "title", "active")
    list_filter = ("active",)
    search_fields = ("title",)


@admin.register(SLAPolicy)
class SLAPolicyAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = (
        "__str__",
        "dispatch_hours",
        "sign_hours",
        "reply_days",
        "extension_days",
        "round_the_clock",
    )
    list_filter = ("urgency", "round_the_clock")


@admin.register(Holiday)
class HolidayAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("date", "name", "is_workday")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(HolidayYear)
class HolidayYearAdmin(CityWideWritesMixin, ScopedModelAdmin):
    """The years the holiday table holds: a year entered by hand is added here as such."""

    list_display = ("year", "source", "loaded_at", "note")
    list_filter = ("source",)


class AppealEventInline(ScopedReadOnlyInline):
    model = AppealEvent
    show_change_link = False
    fields = ("at", "kind", "actor_label", "from_status", "to_status", "to_level", "organization")
    readonly_fields = fields


@admin.register(Appeal)
class AppealAdmin(ScopedModelAdmin):
    services = ServiceSet(create=services.appeal_create)
    list_display = (
        "reference",
        "category",
        "status",
        "level",
        "assigned_organization",
        "due_at",
        "received_at",
    )
    list_filter = ("status", "level", "category", "channel", "urgency", "industry")
    search_fields = ("reference", "description", "external_id")
    date_hierarchy = "received_at"
    list_select_related = ("category", "assigned_organization")
    readonly_fields = (
        "reference",
        "masked_phone",
        "status",
        "level",
        "assigned_organization",
        "platform",
        "due_at",
        "expected_at",
        "extended",
        "extension_reason",
        "escalations",
        "reply",
        "satisfaction",
        "duplicate_of",
        "submitted_by",
        "received_at",
        "replied_at",
        "closed_at",
        "visited_at",
    )
    raw_id_fields = ("submitter",)
    inlines = [AppealEventInline]

    @admin.display(description=_("contact phone"))
    def masked_phone(self, obj) -> str:
        return pii.display(obj, "contact_phone") if obj and obj.pk else ""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and "contact_phone" in fields:
            fields.remove("contact_phone")  # never rendered in clear once stored
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        # Filing happens here; afterwards the workflow moves the appeal, not a change form.
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("appeals.view_appeal")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AppealEvent)
class AppealEventAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("appeal", "kind", "at", "actor_label", "from_status", "to_status", "to_level")
    list_filter = ("kind", "to_status", "to_level")
    search_fields = ("appeal__reference", "note")
    list_select_related = ("appeal",)
    date_hierarchy = "at"


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("text", "kind", "recipient_organization", "created_at", "read_at")
    list_filter = ("kind",)
    list_select_related = ("recipient_organization",)


@admin.register(HotSpotAlert)
class HotSpotAlertAdmin(ScopedModelAdmin):
    list_display = ("__str__", "subject", "count", "window_days", "raised_at", "resolved")
    list_filter = ("subject", "resolved", "category")
    list_select_related = ("platform", "region", "category")
    actions = ["resolve"]
    readonly_fields = [f.name for f in HotSpotAlert._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Mark the selected alerts resolved"), permissions=["change"])
    def resolve(self, request, queryset):
        done = 0
        for alert in queryset.filter(resolved=False):
            try:
                services.hotspot_resolve(actor=request.user, alert=alert)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                continue
            done += 1
        self.message_user(
            request, ngettext("%d alert resolved.", "%d alerts resolved.", done) % done
        )
