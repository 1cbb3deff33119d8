"""Settings of the test run: the portal's development settings (``DEBUG=1`` unless the
environment says otherwise), so ``pytest`` needs no variable set. Production's safe defaults
(DEBUG off) are tested in tests/core/test_settings.py through ``manage.py`` in a subprocess."""

import os

os.environ.setdefault("DEBUG", "1")

from portal.settings import *  # noqa: F403

# Real hashers cost ~0.3 s a user and the demo seeds sign up a dozen logins, also in module-scoped
# fixtures that run before any function-scoped settings fixture.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    # A test database is thrown away: no need to wait for the disk at each commit (the
    # transactional tests and the real worker commit often).
    DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off"  # noqa: F405

# Private uploads of the run (demo documents, photos) in a throwaway folder, never the
# checkout's var/private; removed when the run ends.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-private-"))  # noqa: F405
atexit.register(shutil.rmtree, PRIVATE_MEDIA_ROOT, ignore_errors=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        **STORAGES["private"],  # noqa: F405
        "OPTIONS": {**STORAGES["private"]["OPTIONS"], "location": str(PRIVATE_MEDIA_ROOT)},  # noqa: F405
    },
}
