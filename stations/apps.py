from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Red stations")

    def ready(self):
        from .catalogue import seed_empty_catalogue
        from .directory import connect_signals

        connect_signals()
        post_migrate.connect(
            seed_empty_catalogue, sender=self, dispatch_uid="stations.facility_catalogue"
        )
