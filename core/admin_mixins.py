"""Admin building blocks with no domain knowledge."""


class ReadOnlyAdminMixin:
    """Rows written only by services (events, logs, job output): the admin shows, never writes.
    Works for model admins and inlines alike."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
