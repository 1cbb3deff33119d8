"""Settings of the API benchmark's gunicorn: the portal's, plus the bare endpoints
(``bench/urls.py``)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Served without collectstatic: the manifest storage of production needs its manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
