"""A list page's SQL is compiled once per shape (core.api.compiled): the scope is part of the
shape, so users who see different rows never share one; the cursor's position is a parameter,
so every page of a walk is right; a changed cursor is refused in the API's format."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from core.api import compiled
from tests import factories as f

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _walk(client, url: str, size: int = 2) -> list[int]:
    """Every id of a list, page after page through the cursor."""
    ids, page = [], client.get(url, {"page_size": size})
    while True:
        assert page.status_code == 200, page.content[:300]
        body = page.json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            return ids
        page = client.get(body["next"])


def test_users_of_different_scopes_never_share_a_page(world, people):
    compiled.clear()
    for _ in range(3):
        f.WorkerFactory(region=world.district_b)
    for _ in range(2):
        f.WorkerFactory(region=world.street_a, platform=world.platform)
    from members.models import Worker

    expected = {
        world.staff: set(Worker.objects.values_list("pk", flat=True)),
        world.district_officer: set(
            Worker.objects.filter(region__path__startswith=world.district_b.path).values_list(
                "pk", flat=True
            )
        ),
        world.partner: set(
            Worker.objects.filter(platform=world.platform).values_list("pk", flat=True)
        ),
    }
    assert len({frozenset(ids) for ids in expected.values()}) == 3  # three different scopes
    for _round in range(2):  # the second round runs the SQL the first compiled
        for user, ids in expected.items():
            walked = _walk(_client(user), "/api/v1/workers/")
            assert walked == sorted(ids, reverse=True), user.username


def test_pages_back_and_forth_through_the_cursor_are_those_of_the_orm(world, people, settings):
    for _ in range(6):
        f.EnterpriseFactory(region=world.district_a, industry=world.delivery)
    client = _client(world.staff)

    def pages() -> list:
        out, body = [], client.get("/api/v1/enterprises/", {"page_size": 3}).json()
        out.append(body)
        while body["next"]:
            body = client.get(body["next"]).json()
            out.append(body)
        body = client.get(body["previous"]).json()  # and one page back
        out.append(body)
        return out

    settings.API_VALUES_LISTS = False
    expected = pages()
    settings.API_VALUES_LISTS = True
    compiled.clear()
    assert pages() == expected  # compiled now
    assert pages() == expected  # from the compiled shapes
    assert len(expected) >= 4


@pytest.mark.parametrize("position", ["p=abc", "p=", "p=1e3", "r=1&p=--1"])
def test_a_changed_cursor_is_refused_in_the_api_format(world, people, position):
    cursor = base64.b64encode(position.encode()).decode()
    response = _client(world.staff).get("/api/v1/workers/", {"cursor": cursor})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and body["message"]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_page_is_planned_once_per_connection(world, people, settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    assert connection.settings_dict["CONN_MAX_AGE"]  # persistent connections (the default)
    compiled.clear()
    for _ in range(4):
        f.WorkerFactory(region=world.district_a)
    client = _client(world.staff)

    def statements() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, generic_plans + custom_plans FROM pg_prepared_statements")
            return dict(cursor.fetchall())

    settings.API_VALUES_LISTS = False
    expected = _walk(client, "/api/v1/workers/")
    settings.API_VALUES_LISTS = True
    assert _walk(client, "/api/v1/workers/") == expected
    executed = statements()
    assert executed and sum(executed.values()) >= 3  # the first page's and the cursor pages'
    assert _walk(client, "/api/v1/workers/") == expected
    assert set(statements()) == set(executed)  # the same statements, executed again
    assert sum(statements().values()) > sum(executed.values())

    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # the session lost them (a pooler, DISCARD ALL)
    assert _walk(client, "/api/v1/workers/") == expected
    assert statements()  # prepared again
    connection.close()  # a new server session
    assert _walk(client, "/api/v1/workers/") == expected
    assert statements()


@pytest.mark.django_db(transaction=True)
def test_a_session_keeps_a_bounded_number_of_statements(world, people, monkeypatch):
    from django.db import connection

    from core.api import prepared

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    monkeypatch.setattr(prepared, "MAX_PER_SESSION", 2)
    compiled.clear()
    client = _client(world.staff)
    sizes = (1, 2, 3, 4)  # a page size is a shape of its own
    first = {size: _walk(client, "/api/v1/workers/", size) for size in sizes}
    assert len({tuple(ids) for ids in first.values()}) == 1  # every size walks the same rows
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert 1 <= cursor.fetchone()[0] <= 2


def test_inside_a_transaction_nothing_is_prepared(world, people):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    compiled.clear()
    assert _walk(_client(world.staff), "/api/v1/workers/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0


def test_a_queryset_that_cannot_match_gives_an_empty_page(world, people):
    from members.models import Worker

    page = compiled.CompiledPage(
        key=("test", "none"),
        build=lambda: Worker.objects.none().values("id"),
        model=Worker,
        using="default",
    )
    assert list(page.order_by("-id")[0:3]) == []
    assert Worker.objects.exists()  # there are rows; the queryset just matches none


@pytest.mark.parametrize(("age", "kept"), [(60, True), (None, True), (0, False), ("absent", False)])
def test_statements_are_prepared_only_on_connections_that_outlive_a_request(age, kept):
    from core.api.prepared import persistent

    settings_dict = {} if age == "absent" else {"CONN_MAX_AGE": age}
    assert persistent(settings_dict) is kept
