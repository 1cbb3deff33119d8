"""Fixtures of the public door tests: the appeals catalogues and a fresh rate-limit cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.appeals.conftest import MONDAY_9, catalogues, file_appeal, local  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()
