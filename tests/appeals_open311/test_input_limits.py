"""Open311 input is refused, not stored or cut short: control characters (NUL answered 500 on
PostgreSQL), text over its documented maximum (a 1 MB description was stored, a long address
truncated), numbers that are not finite and dates outside the accepted years."""

from __future__ import annotations

import pytest

from appeals.models import Appeal
from core.text import TEXT_MAX_LENGTH

pytestmark = pytest.mark.django_db


def _refused(response, status: int, parameter: str):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body[0]["code"] == status
    assert parameter in body[0]["description"], body
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("parameter", ["description", "address_string", "first_name", "phone"])
@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b"])
def test_control_characters_are_refused(post_request, parameter, bad):
    _refused(post_request(**{parameter: f"配送{bad}费"}), 400, parameter)


def test_a_description_over_its_maximum_is_refused_not_stored(post_request):
    _refused(post_request(description="扣" * (TEXT_MAX_LENGTH + 1)), 400, "description")
    _refused(post_request(description="x" * 1_000_000), 400, "description")  # 1 MB


def test_a_long_address_is_refused_not_truncated(post_request):
    _refused(post_request(address_string="路" * 201), 400, "address_string")


def test_long_names_and_links_are_refused_not_truncated(post_request):
    _refused(post_request(first_name="伟" * 40, last_name="张" * 40), 400, "first_name")
    _refused(post_request(media_url="https://example.org/" + "a" * 500), 400, "media_url")


def test_text_at_its_maximum_is_kept_whole(post_request):
    response = post_request(address_string="路" * 200, description="扣" * TEXT_MAX_LENGTH)
    assert response.status_code == 201, response.content[:300]
    appeal = Appeal.objects.get()
    assert appeal.location == "路" * 200
    assert len(appeal.description) == TEXT_MAX_LENGTH


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999"])
def test_coordinates_must_be_finite_numbers(post_request, value):
    _refused(post_request(lat=value), 400, "lat")


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"end_date": "0001-01-01T00:00:00Z"}, "end_date"),
        ({"start_date": "9999-12-31T23:59:59+14:00"}, "start_date"),
        ({"service_request_id": "AP\x00"}, "service_request_id"),
        ({"service_code": "wages\x00"}, "service_code"),
    ],
)
def test_searches_refuse_bad_input_with_a_400(client, keys, params, parameter):
    response = client.get("/open311/v2/requests.json", {"api_key": keys.meituan, **params})
    assert response.status_code == 400, response.content[:300]
    assert parameter in response.json()[0]["description"]


def test_a_control_character_in_a_path_is_refused(client, keys):
    response = client.get("/open311/v2/requests/AP%00.json", {"api_key": keys.meituan})
    assert response.status_code in (400, 404)
