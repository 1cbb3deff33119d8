"""Startup checks of a production deployment.

* The static manifest: with the manifest storage of production (whitenoise's
  ``CompressedManifestStaticFilesStorage``), a page whose template names a static file that is
  not in ``staticfiles.json`` answers 500. Without the manifest every page would: the portal
  refuses to start instead (:func:`verify_static_manifest`, called by ``portal/wsgi.py`` and
  ``portal/asgi.py``) and ``manage.py check --deploy`` reports it (``core.E201``). The fix is
  ``manage.py collectstatic``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages


def static_manifest_problem() -> str:
    """Why the static manifest is unusable, or ``""`` (also ``""`` without manifest storage)."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return ""
    if not storage.exists(storage.manifest_name):
        return (
            f"The static files manifest {storage.manifest_name!r} is missing from STATIC_ROOT "
            f"({settings.STATIC_ROOT}): run `manage.py collectstatic --noinput` before starting."
        )
    return ""


def verify_static_manifest() -> None:
    """Raise ``ImproperlyConfigured`` when production would answer 500 for want of the static
    manifest (the web process's startup calls this)."""
    problem = static_manifest_problem()
    if problem:
        raise ImproperlyConfigured(problem)


@checks.register(checks.Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs=None, **kwargs):
    problem = static_manifest_problem()
    if not problem:
        return []
    return [
        checks.Error(
            problem,
            hint="Run `python manage.py collectstatic --noinput` (STATIC_ROOT).",
            id="core.E201",
        )
    ]
