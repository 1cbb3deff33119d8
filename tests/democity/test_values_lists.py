"""Lists from ``.values()`` (core.api.fastlist) answer exactly what the serializers answer: every
list endpoint of the API, as city-wide staff and as the partner, over the demo's data, with
the values path on and off; and the benchmark's endpoints do take that path."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.democity.test_list_queries import list_endpoints

pytestmark = pytest.mark.django_db

#: The endpoints ``bench/api.py`` measures: they must not fall back to the serializer.
BENCHMARKED = ["regions", "industries", "organizations", "enterprises", "workers", "members"]


@pytest.fixture
def demo(demo_city):
    return demo_city


def _pages(client, url: str) -> list | None:
    """The first two pages of 7 rows (the second through the cursor), or ``None`` if this
    user may not read the list."""
    response = client.get(url, {"page_size": 7})
    if response.status_code == 403:
        return None
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    first = response.json()
    pages = [first]
    if first.get("next"):
        pages.append(client.get(first["next"]).json())
    return pages


def test_values_lists_answer_what_the_serializers_answer(demo, settings):
    staff = APIClient()
    staff.force_login(get_user_model().objects.get(username="zuzhibu"))
    partner = APIClient(HTTP_AUTHORIZATION=f"Api-Key {demo.api_key}")
    differ, compared = [], 0
    for who, client in (("staff", staff), ("partner", partner)):
        for url in list_endpoints():
            settings.API_VALUES_LISTS = False
            expected = _pages(client, url)
            settings.API_VALUES_LISTS = True
            got = _pages(client, url)
            if expected != got:
                differ.append(f"{who} {url}")
            compared += bool(expected and expected[0]["results"])
    assert differ == []
    assert compared >= 40


def test_the_benchmarked_lists_take_the_values_path(demo, rf):
    from django.urls import resolve

    user = get_user_model().objects.get(username="zuzhibu")
    for name in BENCHMARKED:
        match = resolve(f"/api/v1/{name}/")
        view = match.func.cls(action="list", request=None, format_kwarg=None, kwargs={})
        request = rf.get(f"/api/v1/{name}/")
        request.user = user
        from rest_framework.request import Request

        view.request = Request(request)
        assert view.values_plan() is not None, name
