"""One dataset, every page that shows a figure: the dashboard (cards and region table, at each
level), the appeal statistics, the training statistics, the assistance totals. A figure that
two pages show carries the same ``data-figure`` name (what it counts, for which region and
industry) and must show the same number on both; figures with different definitions have
different names (回访满意率 vs 办结满意率)."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coverage import services as coverage_services
from tests.appeals.conftest import catalogues, file_appeal  # noqa: F401
from tests.appeals_assistance.conftest import funds  # noqa: F401
from tests.appeals_assistance.test_portal import _spread
from tests.appeals_stats.conftest import known  # noqa: F401
from tests.coverage.conftest import coverage_data  # noqa: F401
from tests.stations.conftest import catalogue, placed  # noqa: F401
from tests.training.conftest import training  # noqa: F401
from tests.training.test_portal import year_of_data  # noqa: F401

pytestmark = pytest.mark.django_db

FIGURE = re.compile(
    r'data-figure="(?P<id>[^"]+)" data-numerator="(?P<n>[^"]*)"'
    r'(?: data-denominator="(?P<d>[^"]*)")?'
)


@pytest.fixture
def dataset(
    world,
    people,
    coverage_data,  # noqa: F811
    known,  # noqa: F811
    training,  # noqa: F811
    year_of_data,  # noqa: F811
    funds,  # noqa: F811
    placed,  # noqa: F811
):
    _spread(world, people, funds)
    assert placed.station_a.compliant and not placed.station_b.compliant
    coverage_services.snapshot_day(day=timezone.localdate())


def _figures(client, url: str, params: dict | None = None) -> dict[str, tuple]:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    found: dict[str, set] = defaultdict(set)
    for m in FIGURE.finditer(response.content.decode()):
        found[m["id"]].add((Decimal(m["n"]), Decimal(m["d"]) if m["d"] else None))
    for name, values in found.items():
        assert len({n for n, _d in values}) == 1, (url, name, values)
    return {name: next(iter(values)) for name, values in found.items()}


def test_every_figure_shown_twice_is_equal(client, world, dataset):
    client.force_login(world.staff)
    year = str(timezone.localdate().year)
    home = reverse("portal:home")
    pages = [
        (home, {}),
        (home, {"region": world.district_a.code}),
        (home, {"region": world.district_b.code}),
        (home, {"region": "320491"}),
        (home, {"industry": world.delivery.code}),
        (home, {"region": world.district_b.code, "industry": world.delivery.code}),
        (reverse("appeals_stats:stats"), {}),
        (reverse("appeals_stats:stats"), {"region": world.district_b.code}),
        (reverse("appeals_stats:stats"), {"industry": world.delivery.code}),
        (reverse("training:stats"), {"year": year}),
        (reverse("training:stats"), {"year": year, "region": world.district_b.code}),
        (reverse("appeals_assistance:totals"), {"year": year}),
        (reverse("appeals:board"), {}),
        (reverse("stations:list"), {"status": "active"}),
        (reverse("stations:list"), {"status": "active", "region": world.district_b.code}),
        (reverse("stations:list"), {"status": "active", "compliant": "true"}),
    ]
    seen: dict[str, list[tuple[str, tuple]]] = defaultdict(list)
    for url, params in pages:
        for name, value in _figures(client, url, params).items():
            seen[name].append((f"{url}?{params}", value))
    shown_twice = {name: places for name, places in seen.items() if len(places) > 1}
    for name, places in shown_twice.items():
        numerators = {value[0] for _page, value in places}
        assert len(numerators) == 1, (name, places)
        denominators = {value[1] for _page, value in places if value[1] is not None}
        assert len(denominators) <= 1, (name, places)
    # The comparisons the issue names are among them: the satisfaction card and the
    # statistics' rate, the training cards and the statistics' totals, the assistance card and
    # the totals page, a district's row in the city table and the district's own page.
    for name in (
        "appeals_visit_satisfaction@*/*",
        f"appeals_visit_satisfaction@{world.district_b.code}/*",
        f"appeals_visit_satisfaction@*/{world.delivery.code}",
        f"training_classes:{year}@*/*",
        f"training_person_times:{year}@{world.district_b.code}/*",
        f"assistance_disbursed:{year}@*/*",
        f"assistance_beneficiaries:{year}@*/*",
        f"enterprises@{world.district_a.code}/*",
        f"uncovered@{world.district_b.code}/{world.delivery.code}",
        "shuangyou@320491/*",
        "stations_active@*/*",
        "appeals_open@*/*",
        "stations_compliant@*/*",
    ):
        assert name in shown_twice, name
    # Two definitions, two names: the visit and the closed satisfaction rates differ here.
    visit = seen["appeals_visit_satisfaction@*/*"][0][1]
    closed = seen["appeals_closed_satisfaction_rate@*/*"][0][1]
    assert visit[0] == closed[0] and visit[1] != closed[1]


def test_a_region_chosen_on_the_dashboard_is_what_its_officer_sees(client, world, dataset):
    """Staff drilled to 钟楼区 see the district officer's own figures on every card that
    follows the region (appeals, training, stations, coverage)."""
    home = reverse("portal:home")

    def cards(user, params):
        client.force_login(user)
        response = client.get(home, params)
        shown = {c.key: (c.value, c.denominator) for c in response.context["cards"]}
        for section in response.context["activity"]:
            shown.update({c.key: (c.value, c.denominator) for c in section.cards})
        return shown, response

    officer, _response = cards(world.district_officer, {})
    staff, response = cards(world.staff, {"region": world.district_b.code})
    followed = [
        "enterprises",
        "workers",
        "appeals_open",
        "appeals_visit_satisfaction",
        "training_classes",
        "training_person_times",
        "stations_active",
    ]
    for key in followed:
        if key in officer or key in staff:
            assert staff.get(key) == officer.get(key), key
    html = response.content.decode()
    assert "统计范围" in html and world.district_b.name in html
