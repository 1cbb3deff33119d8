"""The admin of core's records. Every admin model declares who sees it (``scope_policy``):

- ``"scoped"``: the model has a scope rule and the admin narrows by it (``ScopedModelAdmin``);
- ``"reference"``: shared reference data, read by every admin user, written city-wide only;
- ``"city_wide"``: shown to city-wide staff only;
- ``"creator"``: city-wide staff see every row, anyone else only the rows they created.

``tests/security/test_admin_scope.py`` walks the admin registry and fails on a model a
secretary can see without one of these.
"""

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


class CityWideViewMixin:
    """Seen by city-wide staff only (whatever the model permissions say)."""

    scope_policy = "city_wide"

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and _is_city_wide(request)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


class CityWideOnlyAdmin(CityWideViewMixin, admin.ModelAdmin):
    """Shown to, and written by, city-wide staff only (whatever the model permissions say)."""

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and _is_city_wide(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _is_city_wide(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _is_city_wide(request)


class CreatorScopedAdmin(admin.ModelAdmin):
    """City-wide staff see every row; anyone else only the rows they created."""

    scope_policy = "creator"
    creator_field = "created_by"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _is_city_wide(request):
            return queryset
        return queryset.filter(**{self.creator_field: request.user})


@admin.register(AuditEvent)
class AuditEventAdmin(CityWideViewMixin, ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "verb", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_label", "request_id", "object_id")
    date_hierarchy = "at"
    list_select_related = ("content_type",)


@admin.register(PIIAccessLog)
class PIIAccessLogAdmin(CityWideViewMixin, ReadOnlyAdmin):
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


@admin.register(JobRun)
class JobRunAdmin(CreatorScopedAdmin, ReadOnlyAdmin):
    """A job's report names what it worked on (a roster upload's ids and rejected rows): its
    starter and city-wide staff see it, nobody else."""

    list_display = ("id", "kind", "status", "created_by", "created_at", "finished_at")
    list_filter = ("kind", "status")


@admin.register(APIKey)
class PartnerAPIKeyAdmin(CityWideOnlyAdmin, APIKeyModelAdmin):
    list_display = (*APIKeyModelAdmin.list_display, "user")
    search_fields = (*APIKeyModelAdmin.search_fields, "user__username")
