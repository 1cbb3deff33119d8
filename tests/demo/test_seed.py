"""The demo seed a newcomer relies on: every seed works, a failed run is completed by the next
one (never "already present" over empty tables), and it refuses a production database."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo import seed as demo_seed
from organizations.models import Enterprise


@pytest.fixture(autouse=True)
def _debug_on(settings):
    # seed_demo runs only in development; pytest-django turns DEBUG off.
    settings.DEBUG = True


def area_counts() -> dict[str, int]:
    return demo_seed.demo_counts()


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", "--scale", "small", stdout=StringIO())
    assert not Enterprise.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_area_is_rolled_back_and_the_next_run_completes_it(monkeypatch):
    """Seed 1 at small scale over four areas (a whole demo is seeded over the shared demo
    city, tests/democity): the training area fails half-way through its writes."""
    areas = {area.name: area for area in demo_seed.AREAS}
    chosen = ("organizations", "people", "training", "recruitment")
    real = areas["training"].seed

    def half_then_fail(actor, scale, seed):
        real(actor, scale, seed)  # writes every training row, then the area fails
        raise RuntimeError("disk full")

    broken = [
        demo_seed.Area(name, areas[name].present, half_then_fail)
        if name == "training"
        else areas[name]
        for name in chosen
    ]
    monkeypatch.setattr(demo_seed, "AREAS", tuple(broken))
    with pytest.raises(CommandError, match=r"'training' failed .*run seed_demo again"):
        call_command("seed_demo", "--scale", "small", "--seed", "1", stdout=StringIO())
    counts = area_counts()
    # The areas before it are kept; the failed area left nothing; the one after it did not run.
    assert counts["enterprises"] and counts["workers"]
    assert counts["training classes"] == 0
    assert not areas["recruitment"].present()

    monkeypatch.setattr(demo_seed, "AREAS", tuple(areas[name] for name in chosen))
    out = StringIO()
    call_command("seed_demo", "--scale", "small", "--seed", "1", stdout=out)
    text = out.getvalue()
    assert "already present" not in text.split("training")[1].split("\n")[0]
    assert "Every demo area is already present" not in text
    for name in ("organizations", "people"):
        assert f"{name}: already present, kept" in text
    after = area_counts()
    assert after["training classes"] and areas["recruitment"].present(), after
    assert after["workers"] == counts["workers"]  # the kept areas were not written twice


# Seed 7 (a whole demo, then a second run that adds nothing) is tested over the shared demo
# city: tests/democity/test_seed_command.py.
