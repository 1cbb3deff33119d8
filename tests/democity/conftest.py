"""Suites that read the whole demo city (``seed_demo --scale small``): every kind of record
exists inside and outside each demo login's scope. The city is seeded once for the package
(half a minute on PostgreSQL), inside a transaction rolled back after its last test; each test
nests its own savepoint in it. A suite that needs the whole demo goes here rather than seeding
its own."""

from __future__ import annotations

import pytest

#: The demo logins that are not city-wide: two industry secretaries, a district officer, the
#: partner system.
SCOPED_LOGINS = ("sec_live_streaming", "sec_food_delivery", "officer_tianning", "partner_meituan")


@pytest.fixture(scope="package")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city; yields the seed's report (its logins and partner API key)."""
    from django.db import transaction
    from django.test import override_settings

    from demo import seed as demo_seed

    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        yield demo_seed.seed_demo(scale="small", seed=7)
        transaction.set_rollback(True)
