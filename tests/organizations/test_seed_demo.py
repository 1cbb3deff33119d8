"""The demo data: real Changzhou regions, valid and unique USCCs, joint branches of at most five
units, derived coverage in all six modes, deterministic output, and working demo logins."""

import json
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import RequestFactory, override_settings
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from core.api.authentication import PartnerAPIKeyAuthentication
from core.identity import check_uscc
from core.models import APIKey, AuditEvent
from demo import city as demo
from demo import seed as demo_seed
from demo.logins import staff_user
from organizations import roles, scoping, services
from organizations.choices import (
    CoverageMode,
    EnterpriseKind,
    EnterpriseStatus,
    GrantKind,
    OrganizationBasis,
    OrganizationKind,
    OrganizationStatus,
    RegionLevel,
)
from organizations.models import (
    JOINT_BRANCH_MAX_ENTERPRISES,
    Enterprise,
    Industry,
    Instructor,
    InstructorEvaluation,
    PartyOrganization,
    Region,
    ScopeGrant,
)

DATA = json.loads(demo.DATA_FILE.read_text(encoding="utf-8"))
SEED = 7


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # seed_demo runs only in development; pytest-django turns DEBUG off.
    settings.DEBUG = True


@pytest.fixture(scope="class")
def small_demo(django_db_setup, django_db_blocker):
    """The small demo, seeded once for the class and rolled back after it; each test runs in
    its own savepoint (``db``), so a test that writes does not leak into the next."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield demo_seed.seed_demo(scale="small", seed=SEED, areas=["organizations"])
        transaction.set_rollback(True)


def modes_by_pk() -> dict[int, str]:
    return dict(Enterprise.objects.values_list("pk", "coverage_mode"))


def assert_consistent_demo() -> None:
    """What must hold at any scale: valid unique USCCs, ≤ 5 units per joint branch, coverage
    modes that a full recomputation does not change, hosts covered by their own branch."""
    usccs = list(Enterprise.objects.values_list("uscc", flat=True))
    assert len(usccs) == len(set(usccs))
    for code in usccs:
        assert check_uscc(code).value == code
    for ent in Enterprise.objects.select_related("region"):
        # The region part is the district's code (the city's for a platform headquarters).
        city, *rest = ent.region.path.split("/")
        assert ent.uscc[2:8] == (rest[0] if ent.region.level != RegionLevel.CITY else city)
    joint = Counter(
        Enterprise.objects.filter(
            party_organization__kind=OrganizationKind.JOINT_BRANCH
        ).values_list("party_organization_id", flat=True)
    )
    assert joint and max(joint.values()) <= JOINT_BRANCH_MAX_ENTERPRISES
    assert min(joint.values()) >= 2
    before = modes_by_pk()
    assert set(before.values()) == set(CoverageMode.values)
    services.enterprises_refresh_coverage()
    assert modes_by_pk() == before
    for org in PartyOrganization.objects.filter(basis=OrganizationBasis.UNIT):
        assert org.host_enterprise.party_organization_id == org.pk


def authenticate(key: str):
    request = Request(RequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Api-Key {key}"))
    return PartnerAPIKeyAuthentication().authenticate(request)


class TestSmallDemo:
    """The ``small`` scale: every content rule, quickly."""

    def test_regions_come_from_the_data_file(self, db, small_demo):
        city = Region.objects.get(code=demo.CITY_CODE)
        assert (city.level, city.parent_id, city.name) == (RegionLevel.CITY, None, "常州市")
        districts = Region.objects.filter(level=RegionLevel.DISTRICT)
        assert sorted(districts.values_list("code", flat=True)) == sorted(
            d["code"] for d in DATA["districts"]
        )
        assert all(d.parent_id == city.pk for d in districts)
        streets = Region.objects.filter(level=RegionLevel.STREET)
        assert streets.count() == sum(len(d["streets"]) for d in DATA["districts"])
        assert Region.objects.filter(level=RegionLevel.COMMUNITY).count() == len(
            DATA["communities"]
        )

        zone = Region.objects.get(level=RegionLevel.ZONE)
        assert (zone.code, zone.short_name, zone.parent_id) == (
            demo.ZONE_CODE,
            "常州经开区",
            city.pk,
        )
        managed = zone.managed_streets.select_related("parent")
        assert sorted(s.code for s in managed) == sorted(
            DATA["management_zones"][0]["street_codes"]
        )
        # The managed streets keep their statutory district.
        assert {s.parent.code for s in managed} == {"320412"}
        assert all(s.path.startswith(s.parent.path) for s in managed)

    def test_departments_and_industries(self, db, small_demo):
        industries = {i.code: i for i in Industry.objects.select_related("department")}
        assert {code: i.department.short_name for code, i in industries.items()} == {
            "live_streaming": "市委网信办",
            "food_delivery": "市市场监管局",
            "express": "市邮政管理局",
            "freight": "市交通运输局",
            "ride_hailing": "市交通运输局",
        }
        assert industries["food_delivery"].name == "外卖送餐"
        assert industries["live_streaming"].name == "网络主播"

    def test_the_party_organization_tree(self, db, small_demo):
        wc = PartyOrganization.objects.get(code=demo.WORKING_COMMITTEE_CODE)
        assert (wc.kind, wc.basis, wc.parent_id, wc.region.code) == (
            OrganizationKind.WORKING_COMMITTEE,
            OrganizationBasis.REGIONAL,
            None,
            demo.CITY_CODE,
        )
        committees = PartyOrganization.objects.filter(kind=OrganizationKind.INDUSTRY_COMMITTEE)
        assert sorted(committees.values_list("code", flat=True)) == [
            "ic-express",
            "ic-food-delivery",
            "ic-freight",
            "ic-live-streaming",
            "ic-ride-hailing",
        ]
        for committee in committees:
            assert committee.parent_id == wc.pk
            assert committee.basis == OrganizationBasis.INDUSTRY
            assert committee.region_id == wc.region_id
            children = committee.children.all()
            kinds = Counter(children.values_list("kind", flat=True))
            assert kinds[OrganizationKind.MOBILE_BRANCH] == 1
            assert kinds[OrganizationKind.FUNCTIONAL] >= 1
            assert all(c.industry_id == committee.industry_id for c in children)
            regional = children.filter(
                basis=OrganizationBasis.REGIONAL, kind=OrganizationKind.BRANCH
            )
            assert regional and all(r.region.level == RegionLevel.STREET for r in regional)
            assert all(o.path.startswith(committee.path) for o in committee.subtree())
            assert all(c.secretary_name for c in children)
        assert PartyOrganization.objects.filter(kind=OrganizationKind.JOINT_BRANCH).exists()
        assert PartyOrganization.objects.filter(
            basis=OrganizationBasis.UNIT, kind=OrganizationKind.GENERAL_BRANCH
        ).exists()

    def test_enterprises_and_coverage_are_consistent(self, db, small_demo):
        assert_consistent_demo()
        hqs = Enterprise.objects.filter(kind=EnterpriseKind.PLATFORM_HQ)
        assert {
            "美团",
            "饿了么",
            "顺丰速运",
            "京东物流",
            "中通快递",
            "滴滴出行",
            "货拉拉",
            "抖音",
        } <= set(hqs.values_list("name", flat=True))
        assert all(h.region.code == demo.CITY_CODE for h in hqs)
        assert (
            Enterprise.objects.filter(kind=EnterpriseKind.OUTLET, platform__isnull=True).count()
            == 0
        )

    def test_loaded_rows_follow_the_plan_and_the_audit_trail(self, db, small_demo):
        plan = demo.build_plan(scale="small", seed=SEED)
        assert sorted(Enterprise.objects.values_list("uscc", "name")) == sorted(
            (e.uscc, e.name) for e in plan.enterprises
        )
        assert (
            Counter(dict(demo_seed.organization_counts()["coverage"])) == +plan.intended_coverage()
        )
        assert Instructor.objects.count() == len(plan.instructors)
        assert InstructorEvaluation.objects.filter(year=2025).count() == len(plan.instructors)
        # Written through the services: every enterprise has its creation in the audit trail.
        created = AuditEvent.objects.filter(
            content_type__model="enterprise", action="create", actor__username="zuzhibu"
        )
        assert created.count() == Enterprise.objects.count()

    def test_demo_logins(self, db, small_demo):
        User = get_user_model()
        assert not User.objects.filter(is_superuser=True).exists()
        secretary, officer, partner = (
            roles.INDUSTRY_SECRETARY,
            roles.DISTRICT_OFFICER,
            roles.PARTNER_SYSTEM,
        )
        expected = {
            "zuzhibu": (roles.DEPARTMENT_STAFF, True, GrantKind.CITY, None),
            "sec_food_delivery": (secretary, True, GrantKind.ORGANIZATION, "ic-food-delivery"),
            "sec_express": (secretary, True, GrantKind.ORGANIZATION, "ic-express"),
            "sec_freight": (secretary, True, GrantKind.ORGANIZATION, "ic-freight"),
            "sec_ride_hailing": (secretary, True, GrantKind.ORGANIZATION, "ic-ride-hailing"),
            "sec_live_streaming": (secretary, True, GrantKind.ORGANIZATION, "ic-live-streaming"),
            "officer_tianning": (officer, True, GrantKind.REGION, "320402"),
            "officer_jingkai": (officer, True, GrantKind.REGION, demo.ZONE_CODE),
            "partner_meituan": (partner, False, GrantKind.PARTNER, "美团"),
            "unit_postal": (roles.MEMBER_UNIT_STAFF, True, GrantKind.DEPARTMENT, "postal"),
        }
        assert sorted(login.username for login in small_demo.logins) == sorted(expected)
        passwords = {login.username: login.password for login in small_demo.logins}
        for username, (group, staff, kind, target) in expected.items():
            user = User.objects.get(username=username)
            assert list(user.groups.values_list("name", flat=True)) == [group]
            assert user.is_staff is staff
            if group == roles.PARTNER_SYSTEM:
                # A service user acts through its API key only: it has no password.
                assert not user.has_usable_password()
            else:
                assert user.check_password(passwords[username])
                assert username not in passwords[username]
            grant = ScopeGrant.objects.get(user=user)
            assert grant.kind == kind
            got = {
                GrantKind.CITY: lambda g: None,
                GrantKind.ORGANIZATION: lambda g: g.organization.code,
                GrantKind.REGION: lambda g: g.region.code,
                GrantKind.PARTNER: lambda g: g.platform.name,
                GrantKind.DEPARTMENT: lambda g: g.department.code,
            }[kind](grant)
            assert got == target
        visible = scoping.visible(Enterprise, User.objects.get(username="sec_express"))
        assert visible.exists()
        assert set(visible.values_list("industry__code", flat=True)) == {"express"}

    def test_the_partner_key_authenticates_as_the_partner(self, db, small_demo):
        user, api_key = authenticate(small_demo.api_key)
        assert user.username == "partner_meituan"
        assert api_key.name == demo.API_KEY_NAME
        seen = scoping.visible(Enterprise, user)
        meituan = Enterprise.objects.get(name="美团", kind=EnterpriseKind.PLATFORM_HQ)
        assert seen.count() == 1 + meituan.units.count()
        assert set(seen.exclude(pk=meituan.pk).values_list("platform_id", flat=True)) == {
            meituan.pk
        }

    def test_a_second_run_adds_nothing_and_renews_the_logins(self, db, small_demo, monkeypatch):
        counts = demo_seed.organization_counts()
        audit = AuditEvent.objects.filter(content_type__model="enterprise").count()
        # Only the area this class seeded (the others would be written at city scale).
        kept = tuple(a for a in demo_seed.AREAS if a.name == "organizations")
        monkeypatch.setattr(demo_seed, "AREAS", kept)
        out = StringIO()
        call_command("seed_demo", "--seed", "99", stdout=out)
        text = out.getvalue()
        assert "organizations: already present, kept" in text
        assert demo_seed.organization_counts() == counts
        assert AuditEvent.objects.filter(content_type__model="enterprise").count() == audit
        assert ScopeGrant.objects.count() == len(small_demo.logins)
        # The replaced key is revoked: one live demo key, and the old one no longer works.
        keys = APIKey.objects.filter(user__username="partner_meituan")
        assert keys.count() == 2
        assert keys.filter(revoked=False).count() == 1
        new_key = text.split("Api-Key ")[1].split('"')[0]
        assert new_key != small_demo.api_key
        assert authenticate(new_key)[0].username == "partner_meituan"
        with pytest.raises(AuthenticationFailed):
            authenticate(small_demo.api_key)
        # New random passwords, printed; the old ones stop working.
        old = {login.username: login.password for login in small_demo.logins}
        printed = text.split("sec_express", 2)[-1].split()[0]
        user = get_user_model().objects.get(username="sec_express")
        assert printed != old["sec_express"]
        assert user.check_password(printed)
        assert not user.check_password(old["sec_express"])


def test_the_same_seed_gives_the_same_data():
    first = demo.build_plan(scale="city", seed=1)
    again = demo.build_plan(scale="city", seed=1)
    other = demo.build_plan(scale="city", seed=2)
    assert first.digest() == again.digest()
    assert [(e.uscc, e.name) for e in first.enterprises] == [
        (e.uscc, e.name) for e in again.enterprises
    ]
    assert first.digest() != other.digest()
    assert [e.uscc for e in first.enterprises] != [e.uscc for e in other.enterprises]


def test_the_bulk_loader_derives_the_same_coverage(db):
    """The province path (bulk_create + one recomputation) on the small plan."""
    plan = demo.build_plan(scale="small", seed=SEED)
    staff = staff_user()
    demo.load_plan(plan, actor=staff, bulk=True)
    assert Enterprise.objects.count() == len(plan.enterprises)
    assert Counter(demo_seed.organization_counts()["coverage"]) == +plan.intended_coverage()
    for org in PartyOrganization.objects.select_related("parent"):
        assert org.path == org.compute_path()
        assert org.depth == org.path.count("/") - 1
    assert_consistent_demo()


def test_the_province_plan_has_thirteen_cities():
    plan = demo.build_plan(scale="province", seed=SEED)
    cities = [r for r in plan.regions if r.level == RegionLevel.CITY]
    assert len(cities) == 13
    assert 90_000 <= len(plan.enterprises) <= 110_000
    assert len({e.uscc for e in plan.enterprises}) == len(plan.enterprises)
    joint = Counter(
        e.organization for e in plan.enterprises if e.organization and "-jb-" in e.organization
    )
    assert max(joint.values()) <= JOINT_BRANCH_MAX_ENTERPRISES


def test_an_unknown_scale_is_refused(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "county", stdout=StringIO())


def test_city_scale(db):
    # The two areas these figures come from; CI's newcomer step seeds every area at city scale
    # through `make demo` and checks the dashboard.
    demo_seed.seed_demo(scale="city", areas=["organizations", "people"])
    total = Enterprise.objects.count()
    assert 400 <= total <= 800
    closed = Enterprise.objects.filter(status=EnterpriseStatus.CLOSED).count()
    assert 0.02 <= closed / total <= 0.04
    share = {
        mode: n / total
        for mode, n in Enterprise.objects.values_list("coverage_mode")
        .annotate(n=Count("pk"))
        .order_by()
    }
    assert 0.28 <= share[CoverageMode.STANDALONE] <= 0.42
    assert 0.18 <= share[CoverageMode.JOINT] <= 0.30
    assert 0.06 <= share[CoverageMode.REGIONAL] + share[CoverageMode.INDUSTRY] <= 0.14
    assert 0.10 <= share[CoverageMode.WORK_ONLY] <= 0.22
    assert 0.10 <= share[CoverageMode.NONE] <= 0.22
    assert Region.objects.filter(level=RegionLevel.DISTRICT).count() == 6
    assert Region.objects.get(code=demo.ZONE_CODE).managed_streets.count() == 6
    assert Industry.objects.count() == 5
    # A closed unit's own branch was dissolved with it.
    dissolved = PartyOrganization.objects.filter(status=OrganizationStatus.DISSOLVED)
    assert dissolved.exists()
    assert {o.host_enterprise.status for o in dissolved} == {EnterpriseStatus.CLOSED}
    # The zone officer sees the units of the six managed streets, which stay in 武进区.
    zone_streets = DATA["management_zones"][0]["street_codes"]
    officer = get_user_model().objects.get(username="officer_jingkai")
    seen = scoping.visible(Enterprise, officer)
    assert seen.exists()
    assert all(e.region.path.split("/")[2] in zone_streets for e in seen.select_related("region"))
    assert_consistent_demo()
    # The rosters hide party members: the two finds leave work in the queue and the ledgers.
    from members.choices import CaseStatus, ProposalStatus
    from members.models import Case, MatchProposal, MemberClaim, Worker

    assert Worker.objects.count() >= 10_000
    assert MatchProposal.objects.filter(status=ProposalStatus.PROPOSED).exists()
    assert MatchProposal.objects.filter(status=ProposalStatus.AUTO_ACCEPTED).count() >= 100
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {CaseStatus.DISCOVERED, CaseStatus.ASSIGNED, CaseStatus.TRANSFERRED} <= statuses
    assert MemberClaim.objects.exists()
