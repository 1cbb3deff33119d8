"""Settings of the test run: the portal's development settings (``DEBUG=1`` unless the
environment says otherwise), so ``pytest`` needs no variable set. Production's safe defaults
(DEBUG off) are tested in tests/core/test_settings.py through ``manage.py`` in a subprocess."""

import os

os.environ.setdefault("DEBUG", "1")

from portal.settings import *  # noqa: F403
