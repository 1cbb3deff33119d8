"""The admin face of organizations: what each role sees and what its writes do.

Every test goes through the admin views with a signed-in user, as a secretary or a district
officer would; the `world` fixture (tests/conftest.py) supplies the city.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import AuditEvent
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
    InstructorEvaluation,
    PartyOrganization,
    Region,
    ScopeGrant,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

ENTERPRISE_CHANGELIST = reverse("admin:organizations_enterprise_changelist")
ENTERPRISE_ADD = reverse("admin:organizations_enterprise_add")
AUTOCOMPLETE = reverse("admin:autocomplete")

# The read-only inline of instructor assignments on the enterprise form.
INLINE_MANAGEMENT = {
    "instructor_assignments-TOTAL_FORMS": "0",
    "instructor_assignments-INITIAL_FORMS": "0",
    "instructor_assignments-MIN_NUM_FORMS": "0",
    "instructor_assignments-MAX_NUM_FORMS": "0",
}


def enterprise_change_url(enterprise) -> str:
    return reverse("admin:organizations_enterprise_change", args=[enterprise.pk])


def enterprise_form(world, **overrides) -> dict:
    """The POST body of the enterprise add form: a delivery outlet in district B."""
    data = {
        "uscc": f.uscc_for(90001),
        "name": "钟楼新外卖站",
        "kind": EnterpriseKind.OUTLET,
        "platform": "",
        "industry": world.delivery.pk,
        "region": world.district_b.pk,
        "address": "",
        "worker_count": "12",
        "status": EnterpriseStatus.OPERATING,
        "party_organization": "",
        **INLINE_MANAGEMENT,
        "_save": "1",
    }
    data.update(overrides)
    return data


def enterprise_form_for(enterprise, **overrides) -> dict:
    """The POST body of an existing enterprise's change form, with ``overrides``."""
    data = {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "kind": enterprise.kind,
        "platform": enterprise.platform_id or "",
        "industry": enterprise.industry_id,
        "region": enterprise.region_id,
        "address": enterprise.address,
        "worker_count": str(enterprise.worker_count),
        "status": enterprise.status,
        "party_organization": enterprise.party_organization_id or "",
        **INLINE_MANAGEMENT,
        "_save": "1",
    }
    if enterprise.has_liaison:
        data["has_liaison"] = "on"
    if enterprise.has_union_or_league:
        data["has_union_or_league"] = "on"
    data.update(overrides)
    return data


def changelist_names(client, url=ENTERPRISE_CHANGELIST) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def form_errors(response) -> dict:
    assert response.status_code == 200, "the form should be shown again with its errors"
    return response.context["adminform"].form.errors


# --- who sees what -------------------------------------------------------------------------------


def test_delivery_secretary_sees_every_delivery_unit_covered_or_not(client, world):
    client.force_login(world.secretary_delivery)

    names = changelist_names(client)

    # Both districts, the covered station and the uncovered one (its work list), and the brand.
    assert names == {world.platform.name, world.ent_delivery_a.name, world.ent_delivery_b.name}
    assert world.ent_express_a.name not in names


def test_express_secretary_sees_only_express(client, world):
    client.force_login(world.secretary_express)

    assert changelist_names(client) == {world.ent_express_a.name}


def test_district_officer_sees_only_their_district(client, world):
    client.force_login(world.district_officer)

    assert changelist_names(client) == {world.ent_delivery_b.name}


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_an_out_of_scope_enterprise_answers_404(client, world, view):
    client.force_login(world.secretary_express)
    url = reverse(f"admin:organizations_enterprise_{view}", args=[world.ent_delivery_b.pk])

    assert client.get(url).status_code == 404


def test_an_in_scope_enterprise_shows_its_derived_coverage_read_only(client, world):
    client.force_login(world.secretary_delivery)

    response = client.get(enterprise_change_url(world.ent_delivery_a))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "coverage_mode" not in form.fields  # shown, never typed
    assert "coverage_mode" in response.context["adminform"].readonly_fields
    with translation.override("zh-hans"):
        assert str(CoverageMode.JOINT.label) in response.content.decode()


def test_enterprise_form_offers_only_own_committee_organizations(client, world):
    client.force_login(world.secretary_delivery)

    response = client.get(ENTERPRISE_ADD)

    assert response.status_code == 200
    choices = set(response.context["adminform"].form.fields["party_organization"].queryset)
    assert world.branch_delivery in choices
    assert world.committee_delivery in choices
    assert world.branch_express not in choices
    assert world.committee_express not in choices


def test_autocomplete_answers_only_scoped_records(client, world):
    client.force_login(world.secretary_delivery)

    def ids(model_name, field_name):
        response = client.get(
            AUTOCOMPLETE,
            {
                "app_label": "organizations",
                "model_name": model_name,
                "field_name": field_name,
                "term": "",
            },
        )
        assert response.status_code == 200
        return {int(r["id"]) for r in response.json()["results"]}

    orgs = ids("enterprise", "party_organization")
    assert world.branch_delivery.pk in orgs
    assert world.branch_express.pk not in orgs
    assert world.committee_express.pk not in orgs

    parents = ids("partyorganization", "parent")
    assert world.committee_delivery.pk in parents
    assert world.committee_express.pk not in parents

    hosts = ids("partyorganization", "host_enterprise")
    assert hosts == {world.platform.pk, world.ent_delivery_a.pk, world.ent_delivery_b.pk}


# --- writes through the services -----------------------------------------------------------------


def test_pointing_at_the_other_committees_branch_is_refused(client, world):
    client.force_login(world.secretary_delivery)
    enterprises, events = Enterprise.objects.count(), AuditEvent.objects.count()

    response = client.post(
        ENTERPRISE_ADD, enterprise_form(world, party_organization=world.branch_express.pk)
    )

    assert "party_organization" in form_errors(response)
    assert Enterprise.objects.count() == enterprises
    assert AuditEvent.objects.count() == events


def test_a_valid_add_derives_coverage_and_writes_an_audit_event(client, world):
    client.force_login(world.secretary_delivery)
    events = AuditEvent.objects.count()

    response = client.post(
        ENTERPRISE_ADD, enterprise_form(world, party_organization=world.branch_delivery.pk)
    )

    assert response.status_code == 302, form_errors(response)
    created = Enterprise.objects.get(name="钟楼新外卖站")
    assert created.party_organization == world.branch_delivery
    assert created.coverage_mode == CoverageMode.JOINT
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.get(object_id=str(created.pk), object_repr=created.name)
    assert event.actor == world.secretary_delivery
    assert event.action == "create"


def test_a_typed_coverage_mode_is_ignored(client, world):
    client.force_login(world.secretary_delivery)

    response = client.post(
        ENTERPRISE_ADD, enterprise_form(world, coverage_mode=CoverageMode.STANDALONE)
    )

    assert response.status_code == 302, form_errors(response)
    assert Enterprise.objects.get(name="钟楼新外卖站").coverage_mode == CoverageMode.NONE


def test_a_bad_uscc_is_a_field_error(client, world):
    client.force_login(world.secretary_delivery)
    good = f.uscc_for(90001)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    events = AuditEvent.objects.count()

    response = client.post(ENTERPRISE_ADD, enterprise_form(world, uscc=bad))

    errors = form_errors(response)
    assert list(errors) == ["uscc"]
    assert not Enterprise.objects.filter(uscc=bad).exists()
    assert AuditEvent.objects.count() == events


def test_a_district_officer_cannot_add_a_unit_outside_their_district(client, world):
    client.force_login(world.district_officer)
    enterprises = Enterprise.objects.count()

    response = client.post(ENTERPRISE_ADD, enterprise_form(world, region=world.district_a.pk))

    assert form_errors(response)
    assert Enterprise.objects.count() == enterprises


def test_a_sixth_unit_in_a_joint_branch_is_a_field_error(client, world):
    branch = world.branch_delivery
    already = branch.covered_enterprises.count()
    f.EnterpriseFactory.create_batch(
        JOINT_BRANCH_MAX_ENTERPRISES - already,
        industry=world.delivery,
        region=world.district_a,
        party_organization=branch,
    )
    assert branch.covered_enterprises.count() == JOINT_BRANCH_MAX_ENTERPRISES
    client.force_login(world.secretary_delivery)
    events = AuditEvent.objects.count()

    response = client.post(
        enterprise_change_url(world.ent_delivery_b),
        enterprise_form_for(world.ent_delivery_b, party_organization=branch.pk),
    )

    assert "party_organization" in form_errors(response)
    world.ent_delivery_b.refresh_from_db()
    assert world.ent_delivery_b.party_organization is None
    assert branch.covered_enterprises.count() == JOINT_BRANCH_MAX_ENTERPRISES
    assert AuditEvent.objects.count() == events


def test_a_change_through_the_admin_is_audited(client, world):
    client.force_login(world.secretary_delivery)
    enterprise = world.ent_delivery_b

    response = client.post(
        enterprise_change_url(enterprise),
        enterprise_form_for(enterprise, party_organization=world.branch_delivery.pk),
    )

    assert response.status_code == 302, form_errors(response)
    enterprise.refresh_from_db()
    assert enterprise.coverage_mode == CoverageMode.JOINT
    event = AuditEvent.objects.get(object_id=str(enterprise.pk), action="update")
    assert event.changes["party_organization"] == [None, world.branch_delivery.pk]


def test_recompute_coverage_touches_only_the_scoped_selection(client, world):
    Enterprise.objects.update(coverage_mode=CoverageMode.NONE)
    client.force_login(world.secretary_express)

    response = client.post(
        ENTERPRISE_CHANGELIST,
        {
            "action": "recompute_coverage",
            "_selected_action": [world.ent_express_a.pk, world.ent_delivery_a.pk],
        },
    )

    assert response.status_code == 302
    world.ent_express_a.refresh_from_db()
    world.ent_delivery_a.refresh_from_db()
    assert world.ent_express_a.coverage_mode == CoverageMode.JOINT
    assert world.ent_delivery_a.coverage_mode == CoverageMode.NONE  # out of scope: untouched


def test_sending_an_instructor_gives_work_coverage(client, world):
    instructor = f.InstructorFactory(organization=world.committee_delivery)
    outsider = f.InstructorFactory(organization=world.committee_express)
    client.force_login(world.secretary_delivery)
    url = reverse("admin:organizations_instructorassignment_add")

    refused = client.post(
        url,
        {
            "instructor": outsider.pk,
            "enterprise": world.ent_delivery_b.pk,
            "started_on": "2024-03-01",
            "_save": "1",
        },
    )
    assert "instructor" in form_errors(refused)

    response = client.post(
        url,
        {
            "instructor": instructor.pk,
            "enterprise": world.ent_delivery_b.pk,
            "started_on": "2024-03-01",
            "_save": "1",
        },
    )

    assert response.status_code == 302, form_errors(response)
    world.ent_delivery_b.refresh_from_db()
    assert world.ent_delivery_b.coverage_mode == CoverageMode.WORK_ONLY
    page = client.get(enterprise_change_url(world.ent_delivery_b))
    assert instructor.name in page.content.decode()  # the read-only assignments inline


# --- party organizations -------------------------------------------------------------------------


def test_organization_changelist_counts_covered_units(client, world):
    client.force_login(world.secretary_delivery)

    response = client.get(reverse("admin:organizations_partyorganization_changelist"))

    assert response.status_code == 200
    counts = {o.code: o.covered_count for o in response.context["cl"].result_list}
    assert counts == {"ic-delivery": 0, "br-delivery": 1}


def test_dissolve_action_reports_refusals_and_uncovers_units(client, world):
    client.force_login(world.secretary_delivery)
    url = reverse("admin:organizations_partyorganization_changelist")

    response = client.post(
        url,
        {"action": "dissolve", "_selected_action": [world.committee_delivery.pk]},
        follow=True,
    )
    world.committee_delivery.refresh_from_db()
    assert world.committee_delivery.status == OrganizationStatus.ACTIVE
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1 and world.committee_delivery.name in str(errors[0])

    response = client.post(
        url, {"action": "dissolve", "_selected_action": [world.branch_delivery.pk]}
    )
    assert response.status_code == 302
    world.branch_delivery.refresh_from_db()
    world.ent_delivery_a.refresh_from_db()
    assert world.branch_delivery.status == OrganizationStatus.DISSOLVED
    assert world.ent_delivery_a.coverage_mode == CoverageMode.NONE


def test_an_organization_under_the_other_committee_is_refused(client, world):
    client.force_login(world.secretary_delivery)
    count = PartyOrganization.objects.count()

    response = client.post(
        reverse("admin:organizations_partyorganization_add"),
        {
            "code": "br-new",
            "name": "新党支部",
            "kind": OrganizationKind.BRANCH,
            "basis": OrganizationBasis.REGIONAL,
            "parent": world.committee_express.pk,
            "industry": world.delivery.pk,
            "region": world.district_b.pk,
            "_save": "1",
        },
    )

    assert "parent" in form_errors(response)
    assert PartyOrganization.objects.count() == count


# --- reference data, grants, audit ---------------------------------------------------------------


def test_reference_data_is_read_only_for_a_secretary(client, world):
    client.force_login(world.secretary_delivery)

    response = client.get(reverse("admin:organizations_region_changelist"))
    assert response.status_code == 200
    assert not response.context["has_add_permission"]
    assert client.get(reverse("admin:organizations_region_add")).status_code == 403
    change = client.get(reverse("admin:organizations_region_change", args=[world.city.pk]))
    assert change.status_code == 200
    assert not change.context["has_change_permission"]


def test_city_wide_staff_add_a_region_through_the_service(client, world):
    client.force_login(world.staff)

    response = client.post(
        reverse("admin:organizations_region_add"),
        {
            "code": "320404002",
            "name": "南大街街道",
            "level": RegionLevel.STREET,
            "parent": world.district_b.pk,
            "_save": "1",
        },
    )

    assert response.status_code == 302, form_errors(response)
    street = Region.objects.get(code="320404002")
    assert street.path == world.district_b.path + "320404002/"
    assert AuditEvent.objects.filter(object_id=str(street.pk), action="create").exists()


def test_scope_grants_are_for_city_wide_staff_only(client, world):
    url = reverse("admin:organizations_scopegrant_changelist")
    client.force_login(world.secretary_delivery)
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("admin:index")).content.decode()

    client.force_login(world.staff)
    assert client.get(url).status_code == 200


def test_city_wide_staff_grant_a_scope_through_the_service(client, world):
    newcomer = f.UserFactory(username="officer_a")
    form = {
        "user": newcomer.pk,
        "kind": GrantKind.REGION,
        "organization": "",
        "region": world.district_a.pk,
        "platform": "",
        "note": "",
        "_save": "1",
    }
    url = reverse("admin:organizations_scopegrant_add")
    client.force_login(world.secretary_delivery)
    assert client.post(url, form).status_code == 403
    assert not ScopeGrant.objects.filter(user=newcomer).exists()

    client.force_login(world.staff)
    response = client.post(url, form)

    assert response.status_code == 302, form_errors(response)
    grant = ScopeGrant.objects.get(user=newcomer)
    assert grant.region == world.district_a
    assert AuditEvent.objects.filter(object_id=str(grant.pk), action="create").exists()


def test_audit_events_are_visible_to_city_wide_staff_only(client, world):
    url = reverse("admin:core_auditevent_changelist")
    client.force_login(world.staff)
    assert client.get(url).status_code == 200

    client.force_login(world.secretary_delivery)
    assert client.get(url).status_code in (403, 404)


def test_instructor_evaluation_is_recorded_through_the_service(client, world):
    instructor = f.InstructorFactory(organization=world.branch_delivery)
    client.force_login(world.secretary_delivery)

    response = client.post(
        reverse("admin:organizations_instructorevaluation_add"),
        {"instructor": instructor.pk, "year": "2024", "grade": "excellent", "_save": "1"},
    )

    assert response.status_code == 302, form_errors(response)
    evaluation = InstructorEvaluation.objects.get(instructor=instructor, year=2024)
    assert AuditEvent.objects.filter(object_id=str(evaluation.pk), action="create").exists()
    page = client.get(reverse("admin:organizations_instructor_change", args=[instructor.pk]))
    assert page.status_code == 200
    assert "2024" in page.content.decode()


# --- language and cost ---------------------------------------------------------------------------


def test_admin_index_is_in_chinese_by_default(client, world):
    client.force_login(world.secretary_delivery)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "最近动作" in html  # Django's zh-hans for "Recent actions"
    assert "修改密码" in html  # "Change password"


def test_enterprise_changelist_runs_a_constant_number_of_queries(client, world):
    client.force_login(world.secretary_delivery)
    client.get(ENTERPRISE_CHANGELIST)  # warm caches (session, content types)

    def queries_and_rows() -> tuple[int, int]:
        client.get(ENTERPRISE_CHANGELIST)  # new rows (trees) invalidate the cached user: re-warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(ENTERPRISE_CHANGELIST)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["cl"].result_list)

    few, rows = queries_and_rows()
    assert rows == 3
    for i in range(12):
        street = f.RegionFactory(
            code=f"3204040{i + 10:02d}",
            name=f"街道{i}",
            level=RegionLevel.STREET,
            parent=world.district_b,
        )
        branch = f.PartyOrganizationFactory(
            parent=world.committee_delivery,
            industry=world.delivery,
            region=street,
            basis=OrganizationBasis.REGIONAL,
        )
        f.EnterpriseFactory(industry=world.delivery, region=street, party_organization=branch)
    many, rows = queries_and_rows()
    assert rows == 15
    assert many == few
