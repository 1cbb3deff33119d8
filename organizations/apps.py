from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from .roles import apply_all_role_grants

        # Once per migrate (or test flush), after every app's tables exist.
        post_migrate.connect(
            apply_all_role_grants, sender=self, dispatch_uid="organizations.role_grants"
        )
