"""Members find the organization: the public form (honeypot, rate limit, CSRF, nothing echoed)
and the partner API (only the reference back)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.models import APIKey
from members.choices import CaseOrigin, CaseStatus, ClaimChannel
from members.models import Case, MemberClaim
from members.services.claims import REFERENCE_PATTERN, claim_submit
from members.throttle import report_key
from tests import factories as f
from tests.base import assert_error_format

pytestmark = pytest.mark.django_db
REPORT_URL = reverse("members:report")
DONE_URL = reverse("members:report_done")
API_URL = "/api/v1/member-claims/"
ID_PATTERN = re.compile(r"\d{17}[\dX]")
REFERENCE_IN_PAGE = re.compile(r"SZ\d{8}[A-Z2-9]{6}")
CLIENT_IP = "198.51.100.7"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # Only our keys: clearing the whole cache would flush a shared Redis.
    for address in (CLIENT_IP, "127.0.0.1", "198.51.100.8"):
        cache.delete(report_key(address))
    yield
    for address in (CLIENT_IP, "127.0.0.1", "198.51.100.8"):
        cache.delete(report_key(address))


def report_data(n: int = 1, **overrides):
    data = {
        "name": "周敏",
        "id_number": f.resident_id_for(900 + n),
        "phone": f.phone_for(777_000 + n),
        "home_organization_name": "安徽省阜阳市某村党支部",
        "employer_name": "天宁美团站",
        "industry": "food_delivery",
        "region": "320402",
        "work_place": "雕庄街道",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def post_report(client, data, **extra):
    return client.post(REPORT_URL, data, REMOTE_ADDR=CLIENT_IP, **extra)


def test_the_form_is_public_and_labelled(client, world):
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("name", "id_number", "phone", "home_organization_name", "industry", "region"):
        assert f'<label for="id_{name}"' in html
    # The honeypot: hidden from people and screen readers, out of the tab order.
    assert 'aria-hidden="true"' in html and 'tabindex="-1"' in html


def test_a_report_shows_the_reference_only_and_opens_a_case(client, world):
    data = report_data()
    response = post_report(client, data)
    assert response.status_code == 302 and response["Location"] == DONE_URL
    claim = MemberClaim.objects.get()
    assert claim.channel == ClaimChannel.PUBLIC_FORM
    done = client.get(DONE_URL)
    html = done.content.decode()
    assert claim.reference in html
    assert not ID_PATTERN.search(html)
    assert data["phone"] not in html and data["name"] not in html
    assert data["id_number"][-4:] not in html.replace(claim.reference, "")
    assert REFERENCE_PATTERN.match(claim.reference)
    case = Case.objects.get(claim=claim)
    assert case.origin == CaseOrigin.SELF_REPORT and case.status == CaseStatus.DISCOVERED
    assert (case.region, case.industry) == (world.district_a, world.delivery)
    # The reference is shown once; reloading the page does not show it again.
    assert client.get(DONE_URL).status_code == 302


def test_references_are_random_not_sequential(world):
    refs = [
        claim_submit(channel=ClaimChannel.PUBLIC_FORM, data=report_data(n)).reference
        for n in range(6)
    ]
    assert len(set(refs)) == 6
    suffixes = [r[-6:] for r in refs]
    assert suffixes != sorted(suffixes) or len(set(s[:5] for s in suffixes)) > 1


def test_bad_fields_are_reported_and_nothing_is_stored(client, world):
    good = report_data()
    bad_check_digit = good["id_number"][:17] + ("0" if good["id_number"][17] != "0" else "1")
    response = post_report(
        client, {**good, "id_number": bad_check_digit, "phone": "12345", "region": "999999"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"id_number", "phone", "region"}
    assert not MemberClaim.objects.exists() and not Case.objects.exists()
    assert not ID_PATTERN.search(response.content.decode().replace(bad_check_digit, ""))


def test_the_honeypot_pretends_success_and_stores_nothing(client, world):
    response = post_report(client, report_data(website="http://spam.example"))
    assert response.status_code == 302
    done = client.get(DONE_URL)
    assert REFERENCE_IN_PAGE.search(done.content.decode())
    assert not MemberClaim.objects.exists() and not Case.objects.exists()


def test_the_rate_limit_answers_429(client, world, settings):
    settings.MEMBER_CLAIM_RATE_LIMIT = 2
    assert post_report(client, report_data(1)).status_code == 302
    assert post_report(client, report_data(2)).status_code == 302
    refused = post_report(client, report_data(3))
    assert refused.status_code == 429
    assert MemberClaim.objects.count() == 2
    # Another client is not held back.
    other = client.post(REPORT_URL, report_data(4), REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302


def test_the_form_is_csrf_protected(world):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(REPORT_URL, report_data(), REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 403
    assert not MemberClaim.objects.exists()


def test_a_report_is_linked_to_the_member_and_worker_with_that_id(world, people):
    worker = people.worker_delivery
    member = people.mobile_member
    # The same person on both rolls (the roster and the member roll carry the same id).
    member.id_number = worker.id_number
    member.save()
    claim = claim_submit(
        channel=ClaimChannel.PUBLIC_FORM,
        data=report_data(id_number=worker.id_number.lower()),
    )
    case = Case.objects.get(claim=claim)
    assert (case.worker, case.member) == (worker, member)
    # A second report by the same person joins the same case rather than opening another.
    claim_submit(channel=ClaimChannel.PUBLIC_FORM, data=report_data(id_number=worker.id_number))
    assert Case.objects.filter(worker=worker).count() == 1


# --- the partner API ---------------------------------------------------------------------------


def partner_client(world):
    from rest_framework.test import APIClient

    _, key = APIKey.objects.create_key(name="美团对接", user=world.partner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_partner_report_returns_only_the_reference(world):
    client = partner_client(world)
    data = report_data()
    data.pop("website")
    response = client.post(API_URL, data, format="json")
    assert response.status_code == 201, response.content
    assert set(response.json()) == {"reference"}
    claim = MemberClaim.objects.get(reference=response.json()["reference"])
    assert claim.channel == ClaimChannel.PARTNER_API and claim.submitted_by == world.partner
    assert Case.objects.get(claim=claim).origin == CaseOrigin.PARTNER_REPORT
    assert not ID_PATTERN.search(response.content.decode())


def test_partner_report_errors_are_field_level(world):
    client = partner_client(world)
    response = client.post(
        API_URL,
        {"name": "", "id_number": "320402199001011230", "phone": "13900001111"},
        format="json",
    )
    body = assert_error_format(response, 400, "invalid")
    assert {"name", "home_organization_name"} <= set(body["fields"])
    bad_id = client.post(
        API_URL,
        {**report_data(), "id_number": "320402199001011230", "industry": "nope"},
        format="json",
    )
    body = assert_error_format(bad_id, 400, "invalid")
    assert {"id_number", "industry"} <= set(body["fields"])
    assert "320402199001011230" not in bad_id.content.decode()
    assert not MemberClaim.objects.exists()


def test_the_api_needs_a_partner_key(world):
    from rest_framework.test import APIClient

    anonymous = APIClient().post(API_URL, report_data(), format="json")
    assert anonymous.status_code in (401, 403)
    assert not MemberClaim.objects.exists()


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/member-claims/"]["post"]
    assert "201" in operation["responses"]


def test_staff_find_a_report_by_its_reference_in_the_baseline(client, world):
    claim = claim_submit(channel=ClaimChannel.PUBLIC_FORM, data=report_data())
    client.force_login(world.staff)
    response = client.get(reverse("members:baseline"), {"q": claim.reference.lower()})
    assert [row["object"].claim_id for row in response.context["rows"]] == [claim.pk]
    # A partner system reads no ledger: its session is ended and it is sent to sign in.
    client.force_login(world.partner)
    response = client.get(reverse("members:baseline"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_station_qr_code_report_is_filed_as_such(client, world):
    response = client.post(REPORT_URL + "?via=station", report_data(), REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 302
    assert MemberClaim.objects.get().channel == ClaimChannel.STATION_QR
