from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

#: Fields of a tree node that a resolved grant reads (paths, zones, industry committees).
_GRANT_FIELDS = {"path", "depth", "parent", "region", "industry", "kind", "managed_by"}


def _bump_on_save(sender, instance, created=False, update_fields=None, **kwargs):
    """A new grant, a changed node, or a new street of a management zone (a zone grant covers
    its streets) changes resolved grants; a new node elsewhere in a tree changes none."""
    from core import authcache

    from .models import ScopeGrant

    if update_fields is not None and not set(update_fields) & _GRANT_FIELDS:
        return
    if created and sender is not ScopeGrant and not getattr(instance, "managed_by_id", None):
        return
    authcache.bump(**kwargs)


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from core import authcache

        from .models import PartyOrganization, Region, ScopeGrant
        from .roles import apply_all_role_grants
        from .scoping import grants_for

        # Once per migrate (or test flush), after every app's tables exist.
        post_migrate.connect(
            apply_all_role_grants, sender=self, dispatch_uid="organizations.role_grants"
        )
        # Cached users carry their grants; a grant or a move in a tree invalidates them.
        authcache.register_warmer(grants_for)
        for model in (ScopeGrant, PartyOrganization, Region):
            post_save.connect(_bump_on_save, sender=model, dispatch_uid=f"grants.save.{model}")
            post_delete.connect(authcache.bump, sender=model, dispatch_uid=f"grants.del.{model}")
