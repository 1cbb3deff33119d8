from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin

from .admin_mixins import ReadOnlyAdminMixin
from .models import APIKey, AuditEvent, JobRun, PIIAccessLog


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


def _is_city_wide(request) -> bool:
    # Resolved lazily: core imports no app, and the scope rules live in organizations.scoping.
    from django.utils.module_loading import import_string

    return import_string("organizations.scoping.is_city_wide")(request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "verb", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_label", "request_id", "object_id")
    date_hierarchy = "at"
    list_select_related = ("content_type",)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and _is_city_wide(request)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(PIIAccessLog)
class PIIAccessLogAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "actor_label",
        "action",
        "content_type",
        "object_id",
        "fields",
        "row_count",
        "reason",
    )
    list_filter = ("action", "content_type")
    search_fields = ("actor_label", "request_id", "object_id", "reason")
    date_hierarchy = "at"
    list_select_related = ("content_type",)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and _is_city_wide(request)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "status", "created_by", "created_at", "finished_at")
    list_filter = ("kind", "status")


@admin.register(APIKey)
class PartnerAPIKeyAdmin(APIKeyModelAdmin):
    list_display = (*APIKeyModelAdmin.list_display, "user")
    search_fields = (*APIKeyModelAdmin.search_fields, "user__username")
