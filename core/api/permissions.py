from rest_framework import permissions


class ModelPermissions(permissions.DjangoModelPermissions):
    """Authenticated users with the model permission; reads need ``view`` too.

    What they may see or touch within that is decided by scope (``organizations.scoping``).
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def _queryset(self, view):
        # Only the model is read: the class's queryset names it without building the scoped
        # queryset (``get_queryset``) a second time per request.
        queryset = getattr(type(view), "queryset", None)
        return queryset if queryset is not None else super()._queryset(view)


class ReadByPostPermissions(ModelPermissions):
    """For a search answered to a POST (its terms stay out of the URL): needs ``view``."""

    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.view_%(model_name)s"]}


class HasPerm(permissions.BasePermission):
    """Signed in with one permission (``perm``, set by :func:`has_perm`): for an action whose
    right is not its model's usual one (a check-in, an upload, a report). What the user may
    touch within it is still decided by scope, in the services."""

    perm = ""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.perm))


def has_perm(perm: str) -> type[HasPerm]:
    """The permission class that needs ``perm`` (e.g. ``"stations.add_checkin"``)."""
    return type(f"Has_{perm.replace('.', '_')}", (HasPerm,), {"perm": perm})
