"""Known data for the coverage tests: the shared world and people, plus a management zone, a
standalone organization, work coverage, a closed unit, an inactive worker, an accepted match and
a placed case, so every snapshot number below can be counted by hand."""

from dataclasses import dataclass
from typing import Any

import pytest

from members.choices import CaseOrigin, CaseStatus, MatchRule, ProposalStatus
from members.models import MatchProposal
from members.services import cases
from organizations.choices import (
    EnterpriseStatus,
    OrganizationBasis,
    OrganizationKind,
    RegionLevel,
)
from organizations.services import enterprises_refresh_coverage

from .. import factories as f


@dataclass
class CoverageData:
    zone: Any  # management zone under the city, managing street_z
    street_z: Any  # street of district B managed by the zone
    ent_standalone: Any  # express, street_z, its own branch
    ent_work: Any  # delivery, street A, a liaison only
    ent_closed: Any  # delivery, street A, closed
    worker_work: Any  # works at ent_work
    placed_case: Any  # worker_express = member_express, placed in the express branch


@pytest.fixture
def coverage_data(world, people) -> CoverageData:
    zone = f.RegionFactory(
        code="320491", name="常州经开区", level=RegionLevel.ZONE, parent=world.city
    )
    street_z = f.RegionFactory(
        code="320404101",
        name="横林镇",
        level=RegionLevel.STREET,
        parent=world.district_b,
        managed_by=zone,
    )
    ent_standalone = f.EnterpriseFactory(
        name="经开区快递公司", industry=world.express, region=street_z
    )
    own_branch = f.PartyOrganizationFactory(
        code="br-own",
        name="经开区快递公司党支部",
        kind=OrganizationKind.BRANCH,
        basis=OrganizationBasis.UNIT,
        industry=world.express,
        region=street_z,
        parent=world.committee_express,
        host_enterprise=ent_standalone,
    )
    ent_standalone.party_organization = own_branch
    ent_standalone.save()
    ent_work = f.EnterpriseFactory(
        name="雕庄外卖站", industry=world.delivery, region=world.street_a, has_liaison=True
    )
    ent_closed = f.EnterpriseFactory(
        name="已关闭外卖站",
        industry=world.delivery,
        region=world.street_a,
        status=EnterpriseStatus.CLOSED,
    )
    enterprises_refresh_coverage()
    worker_work = f.WorkerFactory(
        external_id="MT-0002",
        name="周涛",
        industry=world.delivery,
        region=world.street_a,
        enterprise=ent_work,
    )
    f.WorkerFactory(
        external_id="MT-0003",
        name="吴静",
        industry=world.delivery,
        region=world.street_a,
        enterprise=ent_work,
        active=False,
    )
    MatchProposal.objects.create(
        worker=people.worker_delivery,
        member=people.member_delivery,
        rule=MatchRule.EXACT_ID,
        score=100,
        status=ProposalStatus.AUTO_ACCEPTED,
    )
    case = cases.case_open(
        actor=world.staff,
        origin=CaseOrigin.MATCH,
        worker=people.worker_express,
        member=people.member_express,
    )
    for status in (CaseStatus.VERIFYING, CaseStatus.CONTACTED, CaseStatus.REPORTED):
        case = cases.case_transition(actor=world.staff, case=case, to_status=status)
    case = cases.case_transition(
        actor=world.staff,
        case=case,
        to_status=CaseStatus.ASSIGNED,
        organization=world.branch_express,
    )
    return CoverageData(
        zone=zone,
        street_z=street_z,
        ent_standalone=ent_standalone,
        ent_work=ent_work,
        ent_closed=ent_closed,
        worker_work=worker_work,
        placed_case=case,
    )


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run queued tasks in the test's own transaction, also when a broker is configured (the
    real-worker run is tests/coverage/test_tasks.py)."""
    from portal.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def _no_dashboard_cache(settings):
    """The dashboard tests read the computed context of every response; the body cache has its
    own test (test_dashboard.py)."""
    settings.PORTAL_DASHBOARD_CACHE_SECONDS = 0
