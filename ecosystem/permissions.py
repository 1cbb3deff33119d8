"""The API permission of the ecosystem's step endpoints (report, resolve, route, close,
advance): a POST that moves a record on needs the model's ``change`` permission, not ``add``;
which records a user may move is decided by scope in the services."""

from core.api.permissions import ModelPermissions


class ChangeByPostPermissions(ModelPermissions):
    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


STEP_ACTIONS = frozenset({"report", "resolve", "route", "close", "advance"})


class StepPermissionsMixin:
    """Viewsets whose step actions need ``change`` (the other actions keep their defaults)."""

    def get_permissions(self):
        if getattr(self, "action", None) in STEP_ACTIONS:
            return [ChangeByPostPermissions()]
        return super().get_permissions()
