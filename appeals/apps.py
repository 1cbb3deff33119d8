from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .catalogue import seed_empty_catalogues

        post_migrate.connect(seed_empty_catalogues, sender=self, dispatch_uid="appeals.catalogues")
