"""The organization tree shows each organization's full and probationary members and flags
what the party's rules call for; the suspension decision is one click from its flag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from members.choices import MemberStatus
from members.models import PartyMember
from organizations.choices import OrganizationBasis, OrganizationKind
from organizations.health import health_of
from organizations.models import PartyOrganization
from tests import factories as f

pytestmark = pytest.mark.django_db


def _branch(world, code: str, kind=OrganizationKind.BRANCH, **extra):
    return f.PartyOrganizationFactory(
        code=code,
        name=f"{code}党组织",
        kind=kind,
        basis=OrganizationBasis.UNIT,
        industry=world.delivery,
        region=world.district_a,
        parent=world.committee_delivery,
        **extra,
    )


def _members(organization, n: int, status=MemberStatus.FULL, **extra):
    return [
        f.PartyMemberFactory(
            member_id=f"{organization.code}-{status}-{i}",
            name=f"成员{i}",
            organization=organization,
            status=status,
            joined_on=dt.date(2020, 1, 1),
            **extra,
        )
        for i in range(n)
    ]


def _flags(organization) -> set[str]:
    subtree = PartyOrganization.objects.filter(path__startswith=organization.path).order_by("path")
    return {flag.code for flag in health_of(subtree)[organization.pk].flags}


def test_counts_full_and_probationary_members_held_here(world):
    branch = _branch(world, "br-a")
    _members(branch, 4)
    _members(branch, 2, MemberStatus.PROBATIONARY)
    _members(branch, 1, MemberStatus.SUSPENDED)
    subtree = PartyOrganization.objects.order_by("path")
    health = health_of(subtree)
    assert (health[branch.pk].own.full, health[branch.pk].own.probationary) == (4, 2)
    committee = health[world.committee_delivery.pk]
    assert (committee.own.full, committee.subtree_full, committee.subtree_probationary) == (0, 4, 2)


def test_branch_size_rules(world):
    small = _branch(world, "br-small")
    _members(small, 2)
    _members(small, 3, MemberStatus.PROBATIONARY)  # probationary members do not count
    assert "branch_too_small" in _flags(small)
    f.PartyMemberFactory(member_id="third", name="第三人", organization=small)
    assert "branch_too_small" not in _flags(small)
    large = _branch(world, "br-large")
    _members(large, 51)
    assert _flags(large) == {"branch_too_large"}


def test_general_branch_and_committee_sizes(world):
    general = _branch(world, "gb", kind=OrganizationKind.GENERAL_BRANCH)
    _members(general, 30)
    assert "general_branch_size" in _flags(general)
    child = f.PartyOrganizationFactory(
        code="gb-1", name="第一党支部", kind=OrganizationKind.BRANCH, parent=general
    )
    _members(child, 25)  # the subtree counts: 55
    assert "general_branch_size" not in _flags(general)
    committee = _branch(world, "pc", kind=OrganizationKind.PRIMARY_COMMITTEE)
    _members(committee, 60)
    assert "committee_too_small" in _flags(committee)


def test_term_reminders(world):
    today = timezone.localdate()
    ending = _branch(world, "br-ending", term_ends_on=today + dt.timedelta(days=30))
    over = _branch(world, "br-over", term_ends_on=today - dt.timedelta(days=1))
    later = _branch(world, "br-later", term_ends_on=today + dt.timedelta(days=200))
    for org in (ending, over, later):
        _members(org, 3)
    assert _flags(ending) == {"term_ending"}
    assert _flags(over) == {"term_over"}
    assert _flags(later) == set()


def test_the_suspension_decision_is_one_click_from_the_flag(client, world):
    branch = _branch(world, "br-lost")
    _members(branch, 3)
    long_ago = timezone.localdate() - dt.timedelta(days=200)
    lost = f.PartyMemberFactory(
        member_id="lost-1", name="失联者", organization=branch, lost_contact_since=long_ago
    )
    f.PartyMemberFactory(
        member_id="lost-2",
        name="新近失联",
        organization=branch,
        lost_contact_since=timezone.localdate() - dt.timedelta(days=30),
    )
    assert "suspension_due" in _flags(branch)
    client.force_login(world.staff)
    tree = client.get("/organizations/").content.decode()
    link = f"/members/suspension-due/?organization={branch.pk}"
    assert link in tree
    page = client.get(link)
    assert [m.pk for m in page.context["members"]] == [lost.pk]
    response = client.post(f"/members/{lost.pk}/suspend/", {"next": link})
    assert response.status_code == 302 and response["Location"] == link
    lost.refresh_from_db()
    assert lost.status == MemberStatus.SUSPENDED
    assert "suspension_due" not in _flags(branch)


def test_the_suspension_needs_the_permission_and_the_scope(client, world):
    branch = _branch(world, "br-lost")
    lost = f.PartyMemberFactory(
        member_id="lost-1",
        name="失联者",
        organization=branch,
        lost_contact_since=timezone.localdate() - dt.timedelta(days=400),
    )
    client.force_login(world.secretary_express)  # outside scope
    assert client.post(f"/members/{lost.pk}/suspend/").status_code == 404
    assert client.get(f"/members/suspension-due/?organization={branch.pk}").status_code == 404
    assert PartyMember.objects.get(pk=lost.pk).status == MemberStatus.FULL


def test_the_tree_shows_counts_and_flags_in_constant_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.staff)
    small = _branch(world, "br-1")
    _members(small, 1)
    with django_assert_max_num_queries(40) as few:
        page = client.get("/organizations/")
    html = page.content.decode()
    assert "1 full, 0 probationary" in html or "正式党员 1" in html
    for i in range(2, 12):
        _members(_branch(world, f"br-{i}"), 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/organizations/")


def test_dashboard_figures_count_the_flagged_organizations(world, django_assert_max_num_queries):
    from organizations.selectors import dashboard_figures

    small = _branch(world, "br-small")
    _members(small, 1)
    over = _branch(world, "br-over", term_ends_on=timezone.localdate() - dt.timedelta(days=3))
    _members(over, 3)
    with django_assert_max_num_queries(6):
        cards = {card["key"]: card["value"] for card in dashboard_figures(world.staff)}
    assert cards == {"org_size_rules": 1, "org_elections_due": 1, "org_suspension_due": 0}
    # The express secretary's scope holds neither branch.
    cards = {card["key"]: card["value"] for card in dashboard_figures(world.secretary_express)}
    assert cards["org_size_rules"] == 0 and cards["org_elections_due"] == 0
