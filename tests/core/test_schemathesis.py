"""The whole API schema under schemathesis, as city staff (session) and as the partner (API key).

Every operation in ``/api/v1/schema/`` gets a few generated requests (valid and invalid ones);
each answer must not be a 5xx, must use a status code and content type the schema documents,
and must match the documented response schema. The example count is small so CI stays fast;
``SCHEMATHESIS_EXAMPLES`` raises it for a deeper local run.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from core.models import APIKey

# The records the generated requests find: stations, a class with its session, catalogues.
from tests.stations.conftest import catalogue, placed  # noqa: F401
from tests.training.conftest import training  # noqa: F401

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@contextmanager
def _connection_kept():
    """The WSGI app runs inside the test's transaction: requests must not close the
    connection at their end (Django's own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _staff_credentials(user) -> tuple[dict, dict]:
    client = Client()
    client.force_login(user)
    token = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    return {"X-CSRFToken": token}, cookies


def _partner_credentials(user) -> tuple[dict, dict]:
    _, key = APIKey.objects.create_key(name="schemathesis", user=user)
    return {"Authorization": f"Api-Key {key}"}, {}


def _run_schema(headers: dict, cookies: dict) -> list[str]:
    app = get_wsgi_application()
    failures: list[str] = []
    with _connection_kept():
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        ids = _known_ids(operations, headers, cookies, failures)
        for operation in operations:
            _check_operation(operation, ids, headers, cookies, failures)
    return failures


def _call(case, headers: dict, cookies: dict, failures: list[str]):
    response = case.call(headers=headers, cookies=cookies)
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as exc:
        failures.append(f"{case.operation.label}: {exc}")
    return response


def _known_ids(operations, headers: dict, cookies: dict, failures: list[str]) -> dict:
    """Each list answered without parameters (checked like any answer), and the ids it shows,
    by path prefix: the detail operations below are called with these too."""
    ids: dict[str, list] = {}
    for operation in operations:
        if operation.method.upper() != "GET" or "{" in operation.path:
            continue
        response = _call(operation.Case(), headers, cookies, failures)
        if (
            response.status_code != 200
            or "json" not in response.headers.get("content-type", [""])[0]
        ):
            continue
        body = response.json()
        rows = body.get("results") if isinstance(body, dict) else body
        if isinstance(rows, list):
            found = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
            if found:
                ids[operation.path] = found
    return ids


def _ids_for(path: str, ids: dict) -> list:
    """Ids for ``/x/{id}/...`` from the list at ``/x/``."""
    prefix = path.split("{", 1)[0]
    return ids.get(prefix, [])


def _check_operation(operation, ids: dict, headers: dict, cookies: dict, failures: list[str]):
    known = _ids_for(operation.path, ids) if "{id}" in operation.path else []
    for pk in known[:2]:
        if operation.method.upper() == "GET":
            _call(operation.Case(path_parameters={"id": pk}), headers, cookies, failures)

    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), data=st.data())
    def check(case, data):
        if known and data.draw(st.booleans()):
            case.path_parameters["id"] = data.draw(st.sampled_from(known))
        _call(case, headers, cookies, failures)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "partner"])
def test_schema_holds(world, people, placed, training, who):  # noqa: F811
    user = getattr(world, who)
    headers, cookies = (_staff_credentials if who == "staff" else _partner_credentials)(user)
    failures = _run_schema(headers, cookies)
    assert not failures, "\n\n".join(failures)
