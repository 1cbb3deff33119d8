from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Red stations")

    def ready(self):
        from .directory import connect_signals

        connect_signals()
