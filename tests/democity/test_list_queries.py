"""List APIs close to the bare query: every list endpoint of the API router answers in a number
of queries that does not depend on the page size, as city-wide staff and as the partner (with
its API key), over the demo's data (DESIGN: list pages and endpoints do a constant number of
queries whatever the rows)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from portal import api_urls

pytestmark = pytest.mark.django_db

SMALL, LARGE = 1, 8
#: Lists the small demo leaves empty (no transfer letters are issued in it): not comparable.
THIN = {"/api/v1/transfer-letters/"}


def list_endpoints() -> list[str]:
    """The router's list routes (``^resource/$`` with a ``list`` action), as URLs."""
    from django.urls import URLResolver

    urls = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            actions = getattr(pattern.callback, "actions", None) or {}
            route = prefix + str(pattern.pattern)
            if actions.get("get") == "list" and "(?P<" not in route and "format" not in route:
                urls.append("/api/v1/" + route.replace("^", "").replace("$", ""))

    walk(api_urls.urlpatterns)
    return sorted(set(urls))


def _count(client, url: str, size: int) -> tuple[int, int] | None:
    """Queries and rows of one page; ``None`` when this user may not read the list. Counted on
    the second request: the first builds what a process keeps (the list's ``.values()`` plan,
    who the user is)."""
    client.get(url, {"page_size": size})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": size})
    if response.status_code == 403:
        return None
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(queries), len(response.json()["results"])


@pytest.fixture
def demo(demo_city):
    return demo_city


def test_every_list_endpoint_does_constant_queries(demo):
    endpoints = list_endpoints()
    assert len(endpoints) >= 25, endpoints
    staff = APIClient()
    staff.force_login(get_user_model().objects.get(username="zuzhibu"))
    partner = APIClient(HTTP_AUTHORIZATION=f"Api-Key {demo.api_key}")
    growing, empty = {}, []
    for who, client in (("staff", staff), ("partner", partner)):
        for url in endpoints:
            small = _count(client, url, SMALL)
            if small is None:
                assert who == "partner", url  # staff read every list
                continue
            (few, n_few), (many, n_many) = small, _count(client, url, LARGE)
            if who == "staff" and n_many <= n_few and url not in THIN:
                empty.append(url)  # the demo has too few rows to tell
            if many != few:
                growing[f"{who} {url}"] = (few, many)
    assert growing == {}, growing
    assert empty == [], f"the demo has fewer than {SMALL + 1} rows for {empty}"
