"""The whole API schema under schemathesis, as city staff (session) and as the partner (API key).

Every operation in ``/api/v1/schema/`` gets a few generated requests (valid and invalid ones);
each answer must not be a 5xx, must use a status code and content type the schema documents,
and must match the documented response schema. The example count is small so CI stays fast;
``SCHEMATHESIS_EXAMPLES`` raises it for a deeper local run.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field

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

# The records the generated requests find: stations, a class with its session, appeals,
# catalogues.
from tests.appeals.conftest import catalogues, file_appeal  # noqa: F401
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


@dataclass
class SchemaRun:
    """One user's pass over the schema: its credentials, what failed and what answered 2xx."""

    headers: dict
    cookies: dict
    failures: list[str] = field(default_factory=list)
    answered: set[str] = field(default_factory=set)
    ids: dict[str, list] = field(default_factory=dict)

    def run(self) -> None:
        app = get_wsgi_application()
        with _connection_kept():
            schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
            operations = [result.ok() for result in schema.get_all_operations()]
            for operation in operations:
                if operation.method.upper() == "GET" and "{" not in operation.path:
                    self.learn_ids(operation)
            for operation in operations:
                self.check_operation(operation)

    def call(self, case):
        response = case.call(headers=self.headers, cookies=self.cookies)
        if 200 <= response.status_code < 300:
            self.answered.add(case.operation.label)
        try:
            case.validate_response(response, checks=CHECKS, headers=self.headers)
        except FailureGroup as exc:
            self.failures.append(f"{case.operation.label}: {exc}")
        return response

    def learn_ids(self, operation) -> None:
        """The list answered without parameters (checked like any answer), and the ids it
        shows: the operations on ``<list path>{id}/`` are called with these too."""
        response = self.call(operation.Case())
        content_type = response.headers.get("content-type", [""])[0]
        if response.status_code != 200 or "json" not in content_type:
            return
        body = response.json()
        rows = body.get("results") if isinstance(body, dict) else body
        if isinstance(rows, list):
            found = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
            if found:
                self.ids[operation.path] = found

    def check_operation(self, operation) -> None:
        known = self.ids.get(operation.path.split("{", 1)[0], [])
        known = known if "{id}" in operation.path else []
        if operation.method.upper() == "GET":
            for pk in known[:2]:
                self.call(operation.Case(path_parameters={"id": pk}))

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
            self.call(case)

        check()


#: At least this many operations answer 2xx (staff sees every app; the partner its stations,
#: roster and appeals).
ANSWERED = {"staff": 50, "partner": 20}


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch):
    """The pass sends hundreds of requests a minute as one user: the API's rate limits
    (tests/core/test_safe_defaults.py) would answer 429 and leave operations unreached."""
    from core.api.throttling import AnonymousThrottle, PartnerKeyThrottle, StaffSessionThrottle

    # DRF reads the rates when the class is defined; None means "not limited".
    for cls in (PartnerKeyThrottle, StaffSessionThrottle, AnonymousThrottle):
        monkeypatch.setattr(cls, "THROTTLE_RATES", {"partner": None, "staff": None, "anon": None})


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "partner"])
def test_schema_holds(world, people, placed, training, file_appeal, who):  # noqa: F811
    file_appeal()
    file_appeal(description="外卖平台超时罚款不合理，申诉无门。", urgency="urgent")
    user = getattr(world, who)
    headers, cookies = (_staff_credentials if who == "staff" else _partner_credentials)(user)
    run = SchemaRun(headers, cookies)
    run.run()
    assert not run.failures, "\n\n".join(run.failures)
    # The pass reached the data, not only the doors: many operations answered 2xx.
    assert len(run.answered) >= ANSWERED[who], sorted(run.answered)
