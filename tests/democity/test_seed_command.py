"""The demo city the package shares is what ``seed_demo`` gives (seed 7; seed 1 and a failed
run are tested from empty tables in tests/demo/test_seed.py): every area, the logins, backfilled
coverage months; and a second run over a complete demo adds nothing."""

from io import StringIO

from django.core.management import call_command

from coverage.models import CoverageSnapshot
from demo import seed as demo_seed


def test_the_seed_gives_every_area_and_a_second_run_adds_nothing(demo_city, db, settings):
    settings.DEBUG = True  # seed_demo runs only in development; pytest-django turns DEBUG off.
    counts = demo_seed.demo_counts()
    assert all(counts.values()), counts
    assert {"zuzhibu", "officer_jingkai"} <= {login.username for login in demo_city.logins}
    # The backfilled months count the workers seen by then, not none.
    months = list(
        CoverageSnapshot.objects.filter(region__parent__isnull=True, industry__isnull=True)
        .order_by("day")
        .values_list("workers", flat=True)
    )
    assert len(months) > 6 and 0 < months[len(months) // 2] < months[-1], months

    out = StringIO()
    call_command("seed_demo", "--scale", "small", "--seed", "7", stdout=out)
    text = out.getvalue()
    assert "Every demo area is already present" in text
    assert "zuzhibu" in text and "officer_jingkai" in text  # the logins, with new passwords
    assert demo_seed.demo_counts() == counts
