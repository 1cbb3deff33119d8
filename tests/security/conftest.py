"""The demo city (``seed_demo --scale small``) seeded once per module for the security suites:
every kind of record exists inside and outside each demo login's scope."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

#: The demo logins that are not city-wide: two industry secretaries, a district officer, the
#: partner system.
SCOPED_LOGINS = ("sec_live_streaming", "sec_food_delivery", "officer_tianning", "partner_meituan")


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """Seeded inside a transaction that is rolled back after the module's tests (which nest
    their own savepoints in it)."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        call_command("seed_demo", "--scale", "small", "--seed", "7", stdout=StringIO())
        yield
        transaction.set_rollback(True)
