from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for every app and the synthetic rosters the benchmarks use. No production app
    imports it; what only it needs (Faker) is the ``demo`` extra."""

    name = "demo"
    verbose_name = _("Demo data")
