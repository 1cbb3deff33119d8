"""The security suites run over the demo city (``demo_city`` in tests/conftest.py): every kind of
record exists inside and outside each demo login's scope."""

from __future__ import annotations

#: The demo logins that are not city-wide: two industry secretaries, a district officer, the
#: partner system.
SCOPED_LOGINS = ("sec_live_streaming", "sec_food_delivery", "officer_tianning", "partner_meituan")
