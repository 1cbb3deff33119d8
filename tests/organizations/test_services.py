import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.context import request_context
from core.models import AuditEvent
from organizations import scoping, services
from organizations.choices import (
    CoverageMode,
    EnterpriseKind,
    GrantKind,
    OrganizationBasis,
    OrganizationKind,
    OrganizationStatus,
    RegionLevel,
)
from organizations.models import Enterprise, PartyOrganization
from tests import factories as f


def new_enterprise(world, **data):
    base = {
        "uscc": f.uscc_for(Enterprise.objects.count() + 50_000),
        "name": "测试网点",
        "kind": EnterpriseKind.OUTLET,
        "industry": world.delivery,
        "region": world.street_a,
    }
    return services.enterprise_create(actor=world.staff, data={**base, **data})


def test_coverage_mode_is_derived_from_links(world):
    standalone_host = new_enterprise(world, name="有党支部的站点")
    own = services.organization_create(
        actor=world.staff,
        data={
            "code": "own-branch",
            "name": "站点党支部",
            "kind": OrganizationKind.BRANCH,
            "basis": OrganizationBasis.UNIT,
            "host_enterprise": standalone_host,
            "parent": world.committee_delivery,
        },
    )
    standalone_host.refresh_from_db()
    assert standalone_host.party_organization == own
    assert standalone_host.coverage_mode == CoverageMode.STANDALONE

    assert new_enterprise(world, party_organization=world.branch_delivery).coverage_mode == (
        CoverageMode.JOINT
    )
    regional = f.PartyOrganizationFactory(
        kind=OrganizationKind.BRANCH,
        basis=OrganizationBasis.REGIONAL,
        parent=world.committee_delivery,
    )
    assert new_enterprise(world, party_organization=regional).coverage_mode == (
        CoverageMode.REGIONAL
    )
    assert new_enterprise(world, party_organization=world.committee_delivery).coverage_mode == (
        CoverageMode.INDUSTRY
    )
    assert new_enterprise(world, has_liaison=True).coverage_mode == CoverageMode.WORK_ONLY
    assert new_enterprise(world, has_union_or_league=True).coverage_mode == CoverageMode.WORK_ONLY
    bare = new_enterprise(world)
    assert bare.coverage_mode == CoverageMode.NONE

    instructor = services.instructor_create(
        actor=world.staff, data={"name": "王指导", "organization": world.committee_delivery}
    )
    assignment = services.assignment_create(
        actor=world.staff,
        data={"instructor": instructor, "enterprise": bare, "started_on": dt.date(2026, 1, 1)},
    )
    bare.refresh_from_db()
    assert bare.coverage_mode == CoverageMode.WORK_ONLY
    services.assignment_end(actor=world.staff, assignment=assignment, on=dt.date(2026, 6, 1))
    bare.refresh_from_db()
    assert bare.coverage_mode == CoverageMode.NONE


def test_coverage_mode_cannot_be_typed(world):
    ent = new_enterprise(world, coverage_mode=CoverageMode.STANDALONE)
    assert ent.coverage_mode == CoverageMode.NONE


def test_dissolving_an_organization_removes_its_coverage(world):
    ent = world.ent_express_a
    assert ent.coverage_mode == CoverageMode.JOINT
    services.organization_dissolve(actor=world.staff, organization=world.branch_express)
    ent.refresh_from_db()
    assert ent.coverage_mode == CoverageMode.NONE
    with pytest.raises(ValidationError) as info:
        new_enterprise(world, industry=world.express, party_organization=world.branch_express)
    assert "party_organization" in info.value.message_dict


def test_a_committee_with_active_children_cannot_be_dissolved(world):
    with pytest.raises(ValidationError):
        services.organization_dissolve(actor=world.staff, organization=world.committee_delivery)
    world.committee_delivery.refresh_from_db()
    assert world.committee_delivery.status == OrganizationStatus.ACTIVE


def test_joint_branch_covers_at_most_five_units(world):
    for i in range(4):  # the world already links one
        new_enterprise(world, name=f"小站{i}", party_organization=world.branch_delivery)
    before = Enterprise.objects.count()
    with pytest.raises(ValidationError) as info:
        new_enterprise(world, name="第六个", party_organization=world.branch_delivery)
    assert "party_organization" in info.value.message_dict
    assert Enterprise.objects.count() == before


def test_unit_organization_covers_only_its_host(world):
    host = new_enterprise(world, name="主体单位")
    own = services.organization_create(
        actor=world.staff,
        data={
            "code": "unit-org",
            "name": "单位党支部",
            "kind": OrganizationKind.BRANCH,
            "basis": OrganizationBasis.UNIT,
            "host_enterprise": host,
            "parent": world.committee_delivery,
        },
    )
    with pytest.raises(ValidationError) as info:
        new_enterprise(world, name="别的单位", party_organization=own)
    assert "party_organization" in info.value.message_dict


@pytest.mark.parametrize(
    ("kind", "parent_attr", "ok"),
    [
        (OrganizationKind.BRANCH, "branch_delivery", False),  # nothing nests under a branch
        (OrganizationKind.INDUSTRY_COMMITTEE, None, False),  # only a working committee is a root
        (OrganizationKind.INDUSTRY_COMMITTEE, "committee_delivery", False),
        (OrganizationKind.PRIMARY_COMMITTEE, "committee_delivery", True),
        (OrganizationKind.GENERAL_BRANCH, "committee_delivery", True),
        (OrganizationKind.BRANCH, "committee_delivery", True),
        (OrganizationKind.WORKING_COMMITTEE, None, True),
    ],
)
def test_kinds_nest_only_where_the_rules_allow(world, kind, parent_attr, ok):
    data = {
        "code": f"nest-{kind}",
        "name": "新组织",
        "kind": kind,
        "basis": OrganizationBasis.INDUSTRY
        if kind == OrganizationKind.INDUSTRY_COMMITTEE
        else OrganizationBasis.REGIONAL,
        "industry": world.delivery,
        "parent": getattr(world, parent_attr) if parent_attr else None,
    }
    before = PartyOrganization.objects.count()
    if ok:
        services.organization_create(actor=world.staff, data=data)
        assert PartyOrganization.objects.count() == before + 1
    else:
        with pytest.raises(ValidationError) as info:
            services.organization_create(actor=world.staff, data=data)
        assert "parent" in info.value.message_dict
        assert PartyOrganization.objects.count() == before


def test_bad_uscc_is_a_field_error_and_nothing_is_written(world):
    before = Enterprise.objects.count()
    with pytest.raises(ValidationError) as info:
        new_enterprise(world, uscc="91320402MA1XXXXXX0")
    assert "uscc" in info.value.message_dict
    assert Enterprise.objects.count() == before


def test_duplicate_uscc_is_refused(world):
    with pytest.raises(ValidationError) as info:
        new_enterprise(world, uscc=world.ent_delivery_a.uscc)
    assert "uscc" in info.value.message_dict


def test_every_write_is_audited_with_old_and_new_values_and_one_request_id(world):
    with request_context("req-test-0001") as rid:
        ent = new_enterprise(world, name="旧名")
        services.enterprise_update(actor=world.staff, enterprise=ent, data={"name": "新名"})
    events = list(AuditEvent.objects.filter(object_id=str(ent.pk)).order_by("id"))
    assert [e.action for e in events] == ["create", "update"]
    assert {e.request_id for e in events} == {rid}
    assert events[1].changes == {"name": ["旧名", "新名"]}
    assert events[1].actor == world.staff


def test_a_secretary_cannot_write_into_another_committee(world):
    before = PartyOrganization.objects.count()
    with pytest.raises(ValidationError) as info:
        services.organization_create(
            actor=world.secretary_delivery,
            data={
                "code": "intruder",
                "name": "越权支部",
                "kind": OrganizationKind.BRANCH,
                "basis": OrganizationBasis.REGIONAL,
                "parent": world.committee_express,
            },
        )
    assert "parent" in info.value.message_dict
    assert PartyOrganization.objects.count() == before
    assert not AuditEvent.objects.filter(object_repr="越权支部").exists()


def test_a_secretary_cannot_create_a_unit_outside_the_industry(world):
    before = Enterprise.objects.count()
    with pytest.raises(ValidationError):
        services.enterprise_create(
            actor=world.secretary_delivery,
            data={
                "uscc": f.uscc_for(77_777),
                "name": "外行业企业",
                "kind": EnterpriseKind.OUTLET,
                "industry": world.express,
                "region": world.street_a,
            },
        )
    assert Enterprise.objects.count() == before


def test_reference_data_is_changed_by_city_wide_staff_only(world):
    with pytest.raises(ValidationError):
        services.industry_update(
            actor=world.secretary_delivery, industry=world.delivery, data={"name": "改名"}
        )
    services.industry_update(actor=world.staff, industry=world.delivery, data={"name": "外卖"})
    world.delivery.refresh_from_db()
    assert world.delivery.name == "外卖"


def test_scope_of_each_grant(world):
    def names(user):
        return set(scoping.visible(Enterprise, user).values_list("name", flat=True))

    assert names(world.secretary_delivery) == {"美团", "天宁美团站", "钟楼外卖站"}
    assert names(world.secretary_express) == {"天宁快递网点"}
    assert names(world.district_officer) == {"钟楼外卖站"}
    assert names(world.partner) == {"美团", "天宁美团站"}
    assert len(names(world.staff)) == 4
    orgs = set(scoping.visible(PartyOrganization, world.secretary_express))
    assert orgs == {world.committee_express, world.branch_express}


def test_a_zone_grant_sees_the_streets_it_manages(world):
    zone = f.RegionFactory(code="320491", name="经开区", level=RegionLevel.ZONE, parent=world.city)
    managed = f.RegionFactory(
        code="320404001", name="某街道", level=RegionLevel.STREET, parent=world.district_b
    )
    managed.managed_by = zone
    managed.save()
    inside = new_enterprise(world, name="经开区站点", region=managed)
    officer = f.UserFactory(username="zone_officer")
    f.grant(officer, GrantKind.REGION, region=zone)
    assert list(scoping.visible(Enterprise, officer)) == [inside]


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scoping.visible(Enterprise, AnonymousUser()).exists()


def test_a_secretary_edits_their_own_committee_although_its_parent_is_out_of_scope(world):
    services.organization_update(
        actor=world.secretary_delivery,
        organization=world.committee_delivery,
        data={"secretary_name": "李书记"},
    )
    world.committee_delivery.refresh_from_db()
    assert world.committee_delivery.secretary_name == "李书记"
    with pytest.raises(ValidationError) as info:
        services.organization_update(
            actor=world.secretary_delivery,
            organization=world.branch_delivery,
            data={"parent": world.committee_express},
        )
    assert "parent" in info.value.message_dict
    world.branch_delivery.refresh_from_db()
    assert world.branch_delivery.parent == world.committee_delivery


def test_a_member_unit_grant_sees_what_is_assigned_to_its_department(world, monkeypatch):
    """The department grant kind, on a stand-in rule: enterprises assigned to a department
    through their industry's competent department."""
    from organizations.models import Department, Industry
    from organizations.scoping import ScopeRule

    postal = Department.objects.create(code="postal", name="邮政管理局")
    market = Department.objects.create(code="market", name="市场监管局")
    Industry.objects.filter(pk=world.express.pk).update(department=postal)
    Industry.objects.filter(pk=world.delivery.pk).update(department=market)
    monkeypatch.setattr(Enterprise, "scope", ScopeRule(department="industry__department"))
    unit_staff = f.UserFactory(username="postal_staff")
    f.grant(unit_staff, GrantKind.DEPARTMENT, department=postal)
    assert set(scoping.visible(Enterprise, unit_staff).values_list("name", flat=True)) == {
        "天宁快递网点"
    }
    # Reference data without a department path: a member unit sees nothing of a scoped model.
    monkeypatch.setattr(Enterprise, "scope", ScopeRule(region="region"))
    assert not scoping.visible(Enterprise, unit_staff).exists()


def test_a_to_many_department_path_returns_each_record_once(world, monkeypatch):
    from organizations.models import Department, Industry
    from organizations.scoping import ScopeRule

    postal = Department.objects.create(code="postal", name="邮政管理局")
    Industry.objects.filter(pk__in=[world.express.pk, world.delivery.pk]).update(department=postal)
    monkeypatch.setattr(
        Department, "scope", ScopeRule(department="industries__department"), raising=False
    )
    unit_staff = f.UserFactory(username="postal_staff")
    f.grant(unit_staff, GrantKind.DEPARTMENT, department=postal)
    assert list(scoping.visible(Department, unit_staff)) == [postal]


def test_a_department_grant_needs_its_department_and_nothing_else(world):
    from organizations.models import ScopeGrant

    grant = ScopeGrant(user=world.staff, kind=GrantKind.DEPARTMENT, region=world.city)
    with pytest.raises(ValidationError) as caught:
        grant.full_clean()
    assert set(caught.value.message_dict) >= {"department", "region"}
