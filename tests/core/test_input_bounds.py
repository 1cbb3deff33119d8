"""No 5xx from any input: control characters are refused at the boundary with a field error,
every numeric and date filter is bounded, every text input has a maximum (refused beyond it),
and the API's unknown paths and server errors answer the one error format."""

import importlib

import django_filters
import pytest
from django.apps import apps
from django.urls import reverse

from core import filters as bounded
from core.text import TEXT_MAX_LENGTH
from tests.base import api_client, assert_error_format

UNBOUNDED = (
    django_filters.NumberFilter,
    django_filters.DateFilter,
    django_filters.DateTimeFilter,
    django_filters.IsoDateTimeFilter,
)


def _all_filtersets():
    for config in apps.get_app_configs():
        for module in ("filtersets", "filtersets_assistance", "api.views"):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError:
                continue
    seen, todo = set(), [django_filters.FilterSet]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [cls for cls in seen if getattr(cls._meta, "model", None) is not None]


def test_every_numeric_and_date_filter_of_every_filterset_is_bounded():
    filtersets = _all_filtersets()
    assert len(filtersets) > 20
    unbounded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in filtersets
        for name, flt in cls.base_filters.items()
        if isinstance(flt, UNBOUNDED) and not isinstance(flt, bounded.BOUNDED)
    ]
    assert not unbounded, unbounded


@pytest.mark.parametrize("year", ["0", "-1", "-137083", "99999", "1e9"])
def test_a_year_out_of_range_is_a_field_error_on_the_api(world, year):
    client = api_client(world.staff)
    for url in ("/api/v1/training/classes/", "/api/v1/training/statistics/"):
        body = assert_error_format(client.get(url, {"year": year}), 400, "invalid")
        assert "year" in body["fields"], body


def test_a_date_out_of_range_is_a_field_error_on_the_api(world):
    client = api_client(world.staff)
    body = assert_error_format(
        client.get("/api/v1/coverage/", {"date_from": "0001-01-01"}), 400, "invalid"
    )
    assert "date_from" in body["fields"]
    response = client.get("/api/v1/training/sessions/", {"starts_after": "9999-12-31"})
    assert "starts_after" in assert_error_format(response, 400)["fields"]


@pytest.mark.parametrize("year", ["0", "-3"])
def test_a_year_out_of_range_on_a_portal_list_shows_the_list_not_a_500(client, world, year):
    client.force_login(world.staff)
    for name in ("training:class_list", "training:lesson_list", "training:outreach_list"):
        response = client.get(reverse(name), {"year": year})
        assert response.status_code == 200, (name, response.status_code)


@pytest.mark.parametrize("text", ["夜校\x00", "夜\x07校", "\x1b[31m夜校", "夜\x85校"])
def test_control_characters_are_a_field_error_on_the_api(world, text):
    response = api_client(world.staff).post(
        "/api/v1/training/lecturers/", {"name": text, "kind": "party_school"}
    )
    body = assert_error_format(response, 400, "invalid")
    assert "name" in body["fields"], body


def test_tab_and_line_breaks_are_still_text(world):
    from training.models import Lecturer

    response = api_client(world.staff).post(
        "/api/v1/training/lecturers/",
        {"name": "陈红", "kind": "party_school", "bio": "第一行\r\n第二行\t（党校）"},
    )
    assert response.status_code == 201, response.content
    assert Lecturer.objects.get(name="陈红").bio == "第一行\r\n第二行\t（党校）"


def test_text_over_its_maximum_is_refused_not_truncated(world):
    from training.models import Lecturer

    client = api_client(world.staff)
    response = client.post(
        "/api/v1/training/lecturers/",
        {"name": "陈红", "kind": "party_school", "bio": "长" * (TEXT_MAX_LENGTH + 1)},
    )
    assert "bio" in assert_error_format(response, 400, "invalid")["fields"]
    response = client.post("/api/v1/training/lecturers/", {"name": "陈" * 1000, "kind": "backbone"})
    assert "name" in assert_error_format(response, 400, "invalid")["fields"]
    assert not Lecturer.objects.exists()


def test_a_search_box_with_control_characters_is_a_field_error_not_a_500(world):
    response = api_client(world.staff).get("/api/v1/training/courses/", {"q": "党\x00课"})
    assert "q" in assert_error_format(response, 400, "invalid")["fields"]


def test_portal_and_admin_forms_refuse_control_characters(world):
    from django.forms import modelform_factory

    from members.forms import ClaimForm
    from training.models import Lecturer

    claim = ClaimForm(data={"name": "张\x07伟", "id_number": "x", "phone": "1"})
    assert not claim.is_valid() and "name" in claim.errors
    # A model form as the admin builds it: a TextField without a maximum gets the default one.
    LecturerForm = modelform_factory(Lecturer, fields=["name", "kind", "bio"])
    assert "name" in LecturerForm(data={"name": "陈\x00红", "kind": "backbone"}).errors
    too_long = LecturerForm(data={"name": "陈红", "kind": "backbone", "bio": "长" * 5001})
    assert "bio" in too_long.errors
    good = LecturerForm(data={"name": "陈红", "kind": "backbone", "bio": "第一行\r\n第二行\t党校"})
    assert good.is_valid(), good.errors


def test_every_text_field_in_the_request_schema_has_a_maximum(db, client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    missing = []
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("Request"):
            continue
        for prop, spec in component.get("properties", {}).items():
            if (
                spec.get("type") == "string"
                and "enum" not in spec
                and "format" not in spec
                and "pattern" not in spec
                and "maxLength" not in spec
                and not spec.get("readOnly")
            ):
                missing.append(f"{name}.{prop}")
    assert not missing, missing


# --- the error format for every API answer ------------------------------------------------------


def test_an_unknown_api_path_answers_the_error_format(world):
    response = api_client(world.staff).get("/api/v1/no-such-thing/")
    assert_error_format(response, 404, "not_found")


def test_a_server_error_in_the_api_answers_the_error_format_with_debug_off(
    world, settings, monkeypatch
):
    from rest_framework.test import APIClient

    from training.api import views

    settings.DEBUG = False

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(views.selectors, "statistics", boom)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world.staff)
    response = client.get("/api/v1/training/statistics/")
    assert response["Content-Type"].startswith("application/json")
    body = assert_error_format(response, 500, "server_error")
    assert "disk on fire" not in response.content.decode()
    assert body["request_id"] == response["X-Request-ID"]


def test_the_schema_documents_every_error_answer(db, client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {
        "code",
        "message",
        "fields",
        "request_id",
    }
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            documented = set(operation["responses"])
            assert {"401", "403", "404", "429", "500"} <= documented, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"400", "409"} <= documented, (method, path)
    bulk = schema["paths"]["/api/v1/workers/bulk/"]["post"]["responses"]
    assert "422" in bulk


def test_the_schema_types_list_answers_and_null_values_as_they_answer(db, client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    nearby = schema["paths"]["/api/v1/stations/nearby/"]["get"]["responses"]["200"]
    ref = nearby["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][ref]["type"] == "object"
    region = schema["components"]["schemas"]["Region"]["properties"]
    assert region["parent"]["nullable"] and region["managed_by"]["nullable"]
