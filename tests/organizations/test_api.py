"""The organizations REST API: scope, writes through services, filters, keys, pages, schema."""

import datetime as dt
import re

import pytest

from core.identity import USCC_ALPHABET, make_uscc, org_code_check_char
from core.models import APIKey, AuditEvent
from organizations.choices import (
    CoverageMode,
    EnterpriseKind,
    OrganizationBasis,
    OrganizationKind,
    RegionLevel,
)
from organizations.models import Enterprise, PartyOrganization
from tests import factories as f
from tests.base import APICRUDSuite, APIReadOnlySuite, api_client, assert_error_format, ids_of

pytestmark = pytest.mark.django_db

ENTERPRISES = "/api/v1/enterprises/"


def _bad_check_char(uscc: str) -> str:
    """The same code with a wrong check character."""
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(uscc[-1]) + 1) % len(USCC_ALPHABET)]
    return uscc[:-1] + wrong


# --- the shared suites -----------------------------------------------------------------------


class TestRegionsAPI(APIReadOnlySuite):
    basename = "region"
    user = "secretary_delivery"

    def make_visible(self, world):
        return f.RegionFactory(parent=world.city)


class TestDepartmentsAPI(APIReadOnlySuite):
    basename = "department"
    user = "district_officer"

    def make_visible(self, world):
        return f.DepartmentFactory()


class TestIndustriesAPI(APIReadOnlySuite):
    basename = "industry"
    user = "partner"
    lookup_field = "code"

    def make_visible(self, world):
        return f.IndustryFactory()


class TestOrganizationsAPI(APICRUDSuite):
    basename = "organization"
    user = "secretary_delivery"
    bad_fields = ("kind", "parent", "region")

    def make_visible(self, world):
        return f.PartyOrganizationFactory(
            parent=world.committee_delivery, industry=world.delivery, region=world.district_a
        )

    def make_invisible(self, world):
        return f.PartyOrganizationFactory(
            parent=world.committee_express, industry=world.express, region=world.district_a
        )

    def create_payload(self, world):
        return {
            "code": "br-delivery-2",
            "name": "外卖第二党支部",
            "kind": OrganizationKind.BRANCH,
            "basis": OrganizationBasis.REGIONAL,
            "parent": world.committee_delivery.pk,
            "industry": world.delivery.code,
            "region": world.district_b.code,
        }

    def update_payload(self, world):
        return {"name": "外卖骑手党支部", "secretary_name": "王强"}

    def bad_payload(self, world):
        # An unknown kind, a parent outside the secretary's scope, an unknown region code.
        return {
            "code": "br-bad",
            "name": "坏支部",
            "kind": "cell",
            "parent": world.committee_express.pk,
            "region": "999999",
        }


class TestEnterprisesAPI(APICRUDSuite):
    basename = "enterprise"
    user = "secretary_delivery"
    bad_fields = ("uscc", "kind", "industry", "region")

    def make_visible(self, world):
        return f.EnterpriseFactory(industry=world.delivery, region=world.district_a)

    def make_invisible(self, world):
        return f.EnterpriseFactory(industry=world.express, region=world.district_b)

    def create_payload(self, world):
        return {
            "uscc": f.uscc_for(9001),
            "name": "天宁美团第二站",
            "kind": EnterpriseKind.OUTLET,
            "platform": world.platform.pk,
            "industry": world.delivery.code,
            "region": world.street_a.code,
            "party_organization": world.branch_delivery.pk,
            "worker_count": 35,
        }

    def update_payload(self, world):
        return {"worker_count": 80, "has_liaison": True}

    def bad_payload(self, world):
        return {
            "uscc": "",
            "name": "坏企业",
            "kind": "bank",
            "industry": "mining",
            "region": "999999",
        }


class TestInstructorsAPI(APICRUDSuite):
    basename = "instructor"
    user = "secretary_delivery"
    bad_fields = ("name", "organization")

    def make_visible(self, world):
        return f.InstructorFactory(organization=world.branch_delivery)

    def make_invisible(self, world):
        return f.InstructorFactory(organization=world.branch_express)

    def create_payload(self, world):
        return {
            "name": "李卫国",
            "department": world.delivery.department.code,
            "organization": world.committee_delivery.pk,
        }

    def update_payload(self, world):
        return {"active": False}

    def bad_payload(self, world):
        return {"name": "", "organization": world.committee_express.pk}


class TestInstructorAssignmentsAPI(APICRUDSuite):
    basename = "instructor-assignment"
    user = "secretary_delivery"
    bad_fields = ("instructor", "enterprise", "started_on")

    def make_visible(self, world):
        return f.InstructorAssignmentFactory(
            instructor=f.InstructorFactory(organization=world.committee_delivery),
            enterprise=f.EnterpriseFactory(industry=world.delivery, region=world.district_b),
            started_on=dt.date(2024, 3, 1),
        )

    def make_invisible(self, world):
        return f.InstructorAssignmentFactory(
            instructor=f.InstructorFactory(organization=world.committee_express),
            enterprise=f.EnterpriseFactory(industry=world.express, region=world.district_b),
            started_on=dt.date(2024, 3, 1),
        )

    def create_payload(self, world):
        instructor = f.InstructorFactory(organization=world.committee_delivery)
        return {
            "instructor": instructor.pk,
            "enterprise": world.ent_delivery_b.pk,
            "started_on": "2025-01-06",
        }

    def update_payload(self, world):
        return {"ended_on": "2025-06-30"}

    def bad_payload(self, world):
        return {
            "instructor": f.InstructorFactory(organization=world.committee_express).pk,
            "enterprise": world.ent_express_a.pk,
            "started_on": "yesterday",
        }


# --- trees and filters -------------------------------------------------------------------------


def test_organization_ancestor_returns_the_subtree(world):
    deep = f.PartyOrganizationFactory(parent=world.committee_delivery)
    response = api_client(world.staff).get(
        "/api/v1/organizations/", {"ancestor": world.committee_delivery.pk}
    )
    assert ids_of(response) == {world.committee_delivery.pk, world.branch_delivery.pk, deep.pk}


def test_organization_shows_its_place_in_the_tree(world):
    response = api_client(world.staff).get(f"/api/v1/organizations/{world.branch_delivery.pk}/")
    body = response.json()
    assert body["parent"] == world.committee_delivery.pk
    assert body["parent_code"] == "ic-delivery"
    assert body["path"] == world.branch_delivery.path
    assert body["depth"] == 2
    assert (body["industry"], body["region"]) == ("food_delivery", "320402")


def test_organization_ancestor_outside_scope_is_a_filter_error(world):
    response = api_client(world.secretary_delivery).get(
        "/api/v1/organizations/", {"ancestor": world.committee_express.pk}
    )
    body = assert_error_format(response, 400, "invalid")
    assert "ancestor" in body["fields"]


def test_organization_with_children_is_not_deleted(world):
    response = api_client(world.staff).delete(
        f"/api/v1/organizations/{world.committee_delivery.pk}/"
    )
    body = assert_error_format(response, 400, "invalid")
    assert body["fields"]["non_field_errors"]
    assert PartyOrganization.objects.filter(pk=world.committee_delivery.pk).exists()


def test_region_ancestor_returns_the_subtree(world):
    community = f.RegionFactory(
        code="320402001001", name="社区", parent=world.street_a, level=RegionLevel.COMMUNITY
    )
    response = api_client(world.staff).get("/api/v1/regions/", {"ancestor": "320402"})
    assert ids_of(response) == {world.district_a.pk, world.street_a.pk, community.pk}
    row = next(r for r in response.json()["results"] if r["id"] == community.pk)
    assert row["parent"] == "320402001"


def test_enterprise_filters(world):
    client = api_client(world.staff)

    def ids(**params):
        return ids_of(client.get(ENTERPRISES, params))

    assert ids(industry="express") == {world.ent_express_a.pk}
    # A district includes the streets under it.
    assert ids(region="320402") == {world.ent_delivery_a.pk, world.ent_express_a.pk}
    assert ids(region="320402", industry="food_delivery") == {world.ent_delivery_a.pk}
    assert ids(coverage_mode=CoverageMode.JOINT) == {
        world.ent_delivery_a.pk,
        world.ent_express_a.pk,
    }
    assert ids(coverage_mode=CoverageMode.NONE) == {world.ent_delivery_b.pk, world.platform.pk}
    assert ids(platform=world.platform.pk) == {world.ent_delivery_a.pk}
    assert ids(kind=EnterpriseKind.PLATFORM_HQ) == {world.platform.pk}
    prefix = world.ent_delivery_b.uscc[:17]
    assert ids(q=prefix.lower()) == {world.ent_delivery_b.pk}
    assert ids(q="钟楼") == {world.ent_delivery_b.pk}


def test_enterprise_shows_its_links_and_coverage(world):
    response = api_client(world.staff).get(f"{ENTERPRISES}{world.ent_delivery_a.pk}/")
    body = response.json()
    assert body["coverage_mode"] == CoverageMode.JOINT
    assert (body["industry"], body["region"]) == ("food_delivery", "320402001")
    assert body["platform"] == world.platform.pk
    assert body["party_organization"] == world.branch_delivery.pk


def test_enterprise_shows_uscc_warnings_without_refusing_the_code(world):
    body8 = "MA1MXY3B"
    clean = make_uscc(f"91320402{body8}{org_code_check_char(body8)}")
    odd_region = make_uscc(f"91990000{body8}{org_code_check_char(body8)}")
    client = api_client(world.staff)
    ok = client.post(ENTERPRISES, _enterprise_payload(world, uscc=clean))
    assert ok.status_code == 201, ok.content
    assert ok.json()["uscc_warnings"] == []
    doubtful = client.post(ENTERPRISES, _enterprise_payload(world, uscc=odd_region, name="异地"))
    assert doubtful.status_code == 201, doubtful.content
    assert len(doubtful.json()["uscc_warnings"]) == 1


# --- enterprise writes -----------------------------------------------------------------------


def _enterprise_payload(world, **overrides):
    payload = {
        "uscc": f.uscc_for(7001),
        "name": "天宁外卖新站",
        "kind": EnterpriseKind.OUTLET,
        "industry": world.delivery.code,
        "region": world.district_a.code,
    }
    return {**payload, **overrides}


def _nothing_written(uscc: str, events_before: int):
    assert not Enterprise.objects.filter(uscc=uscc).exists()
    assert AuditEvent.objects.count() == events_before


def test_enterprise_coverage_mode_is_derived_not_written(world):
    payload = _enterprise_payload(
        world, party_organization=world.branch_delivery.pk, coverage_mode=CoverageMode.STANDALONE
    )
    response = api_client(world.secretary_delivery).post(ENTERPRISES, payload)
    assert response.status_code == 201, response.content
    assert response.json()["coverage_mode"] == CoverageMode.JOINT
    assert Enterprise.objects.get(pk=response.json()["id"]).coverage_mode == CoverageMode.JOINT


def test_enterprise_uscc_is_normalized(world):
    uscc = f.uscc_for(7002)
    response = api_client(world.staff).post(
        ENTERPRISES, _enterprise_payload(world, uscc=f" {uscc.lower()} ")
    )
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == uscc
    duplicate = api_client(world.staff).post(
        ENTERPRISES, _enterprise_payload(world, uscc=uscc.lower(), name="重复")
    )
    assert "uscc" in assert_error_format(duplicate, 400, "invalid")["fields"]


def test_enterprise_with_a_bad_uscc_checksum_is_refused(world):
    uscc = _bad_check_char(f.uscc_for(7003))
    events = AuditEvent.objects.count()
    response = api_client(world.secretary_delivery).post(
        ENTERPRISES, _enterprise_payload(world, uscc=uscc)
    )
    body = assert_error_format(response, 400, "invalid")
    assert list(body["fields"]) == ["uscc"]
    _nothing_written(uscc, events)


def test_secretary_cannot_point_an_enterprise_at_another_committees_organization(world):
    uscc = f.uscc_for(7004)
    events = AuditEvent.objects.count()
    response = api_client(world.secretary_delivery).post(
        ENTERPRISES,
        _enterprise_payload(world, uscc=uscc, party_organization=world.branch_express.pk),
    )
    body = assert_error_format(response, 400, "invalid")
    assert "party_organization" in body["fields"]
    _nothing_written(uscc, events)


def test_secretary_cannot_create_an_enterprise_of_another_industry(world):
    uscc = f.uscc_for(7005)
    events = AuditEvent.objects.count()
    response = api_client(world.secretary_delivery).post(
        ENTERPRISES, _enterprise_payload(world, uscc=uscc, industry=world.express.code)
    )
    assert_error_format(response, 400, "invalid")
    _nothing_written(uscc, events)


def test_secretary_cannot_move_an_enterprise_out_of_scope(world):
    response = api_client(world.secretary_delivery).patch(
        f"{ENTERPRISES}{world.ent_delivery_b.pk}/", {"industry": world.express.code}
    )
    assert_error_format(response, 400, "invalid")
    world.ent_delivery_b.refresh_from_db()
    assert world.ent_delivery_b.industry == world.delivery


def test_dissolved_organization_cannot_cover_an_enterprise(world):
    PartyOrganization.objects.filter(pk=world.branch_delivery.pk).update(status="dissolved")
    uscc = f.uscc_for(7006)
    response = api_client(world.staff).post(
        ENTERPRISES,
        _enterprise_payload(world, uscc=uscc, party_organization=world.branch_delivery.pk),
    )
    assert "party_organization" in assert_error_format(response, 400, "invalid")["fields"]
    assert not Enterprise.objects.filter(uscc=uscc).exists()


# --- partner API keys --------------------------------------------------------------------------


def test_partner_key_sees_only_its_platform(world):
    _, key = APIKey.objects.create_key(name="美团对接", user=world.partner)
    other_platform = f.EnterpriseFactory(
        kind=EnterpriseKind.PLATFORM_HQ, industry=world.delivery, region=world.city
    )
    f.EnterpriseFactory(industry=world.delivery, region=world.street_a, platform=other_platform)
    client = api_client()
    response = client.get(ENTERPRISES, HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert ids_of(response) == {world.platform.pk, world.ent_delivery_a.pk}
    # The same through the X-Api-Key header.
    response = client.get(ENTERPRISES, HTTP_X_API_KEY=key)
    assert ids_of(response) == {world.platform.pk, world.ent_delivery_a.pk}
    # Another platform's unit is not disclosed.
    assert_error_format(
        client.get(f"{ENTERPRISES}{other_platform.pk}/", HTTP_AUTHORIZATION=f"Api-Key {key}"),
        404,
        "not_found",
    )


def test_partner_key_cannot_write(world):
    _, key = APIKey.objects.create_key(name="美团对接", user=world.partner)
    response = api_client().post(
        ENTERPRISES, _enterprise_payload(world), HTTP_AUTHORIZATION=f"Api-Key {key}"
    )
    assert_error_format(response, 403, "permission_denied")


@pytest.mark.parametrize("header", ["Api-Key not-a-real-key", "Api-Key abc.def"])
def test_invalid_key_is_refused_in_the_error_format(world, header):
    response = api_client().get(ENTERPRISES, HTTP_AUTHORIZATION=header)
    assert_error_format(response, (401, 403), "authentication_failed")


def test_revoked_key_is_refused(world):
    api_key, key = APIKey.objects.create_key(name="美团对接", user=world.partner)
    api_key.revoked = True
    api_key.save()
    response = api_client().get(ENTERPRISES, HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert_error_format(response, (401, 403), "authentication_failed")


# --- pagination ------------------------------------------------------------------------------


def test_cursor_pagination_walks_every_row_once(world):
    for _ in range(5):
        f.EnterpriseFactory(industry=world.delivery, region=world.district_a)
    client = api_client(world.staff)
    expected = set(Enterprise.objects.values_list("pk", flat=True))
    response = client.get(ENTERPRISES, {"page_size": 3})
    body = response.json()
    assert len(body["results"]) == 3
    assert body["next"]
    seen = [row["id"] for row in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        assert len(body["results"]) <= 3
        seen += [row["id"] for row in body["results"]]
    assert len(seen) == len(set(seen))
    assert set(seen) == expected


# --- schema and docs -------------------------------------------------------------------------


def test_schema_is_public(world):
    response = api_client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/enterprises/" in schema["paths"]
    assert "ApiKeyAuth" in schema["components"]["securitySchemes"]


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_are_public_and_load_nothing_from_outside(world, path):
    response = api_client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls
    assert not [u for u in urls if re.match(r"(https?:)?//", u)], urls
    assets = [u for u in urls if u.endswith((".js", ".css"))]
    assert assets
    assert all(u.startswith("/static/") for u in assets), assets
    # The vendored assets are served by the portal itself.
    for asset in assets:
        assert api_client().get(asset).status_code == 200, asset
    assert not re.search(r"https?://(?!localhost|testserver)", html.split("<body", 1)[0])
