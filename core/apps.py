from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("System")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import text

        # Every serializer and form text field refuses control characters and has a maximum
        # (core.text). Installed while the app registry is being built, before any app's
        # ready() (the admin's imports every admin module, and with it their forms).
        text.install()

    def ready(self):
        from . import (
            authcache,
            checks,  # noqa: F401  (registers the system checks)
        )

        authcache.connect_signals()
