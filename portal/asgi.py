import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_asgi_application()

# Production refuses to start without the static manifest rather than answer 500 (core.checks).
from core.checks import verify_static_manifest  # noqa: E402

verify_static_manifest()
