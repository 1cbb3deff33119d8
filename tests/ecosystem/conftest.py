"""The ecosystem placed in the shared world (tests/conftest.py): an industry-chain
comprehensive committee under the working committee with one chain committee and its chain,
two chain enterprises, two task-force member units, a chain secretary and member-unit staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from organizations.choices import GrantKind, OrganizationBasis, OrganizationKind
from organizations.roles import INDUSTRY_SECRETARY, MEMBER_UNIT_STAFF

from .. import factories as f

#: A Monday morning in Asia/Shanghai, away from holidays: 2026-03-02 09:00.
MONDAY_9 = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))


@dataclass
class Chain:
    general: Any
    committee: Any
    other_committee: Any
    chain: Any
    other_chain: Any
    leader: Any  # chain enterprise in street A
    supplier: Any  # chain enterprise in district B
    outsider: Any  # enterprise of the other chain, district B
    finance: Any  # department
    resources: Any  # department
    secretary: Any  # grant on the chain committee
    other_secretary: Any  # grant on the other chain committee
    finance_staff: Any  # member-unit staff of finance


@pytest.fixture
def chain(world) -> Chain:
    from ecosystem.whistles.models import ChainEnterprise, IndustryChain

    general = f.PartyOrganizationFactory(
        code="chain-general",
        name="产业链综合党委",
        kind=OrganizationKind.CHAIN_GENERAL_COMMITTEE,
        basis=OrganizationBasis.INDUSTRY,
        region=world.city,
        parent=world.working_committee,
    )
    committee = f.PartyOrganizationFactory(
        code="chain-nev",
        name="新能源汽车产业链党委",
        kind=OrganizationKind.CHAIN_COMMITTEE,
        basis=OrganizationBasis.INDUSTRY,
        region=world.city,
        parent=general,
    )
    other_committee = f.PartyOrganizationFactory(
        code="chain-pv",
        name="光伏产业链党委",
        kind=OrganizationKind.CHAIN_COMMITTEE,
        basis=OrganizationBasis.INDUSTRY,
        region=world.city,
        parent=general,
    )
    nev = IndustryChain.objects.create(
        code="nev", name="新能源汽车及汽车核心零部件", committee=committee
    )
    pv = IndustryChain.objects.create(code="pv", name="光伏", committee=other_committee)
    leader = ChainEnterprise.objects.create(
        chain=nev, name="理想汽车常州基地", region=world.street_a, is_leader=True
    )
    supplier = ChainEnterprise.objects.create(
        chain=nev, name="钟楼电池配套厂", region=world.district_b
    )
    outsider = ChainEnterprise.objects.create(
        chain=pv, name="天合光能组件厂", region=world.district_b
    )
    finance = f.DepartmentFactory(code="finance", name="市地方金融监管局")
    resources = f.DepartmentFactory(code="resources", name="市自然资源局")
    secretary = f.UserFactory(username="sec_chain", groups=[INDUSTRY_SECRETARY])
    f.grant(secretary, GrantKind.ORGANIZATION, organization=committee)
    other_secretary = f.UserFactory(username="sec_pv", groups=[INDUSTRY_SECRETARY])
    f.grant(other_secretary, GrantKind.ORGANIZATION, organization=other_committee)
    finance_staff = f.UserFactory(username="finance_staff", groups=[MEMBER_UNIT_STAFF])
    f.grant(finance_staff, GrantKind.DEPARTMENT, department=finance)
    return Chain(
        general,
        committee,
        other_committee,
        nev,
        pv,
        leader,
        supplier,
        outsider,
        finance,
        resources,
        secretary,
        other_secretary,
        finance_staff,
    )


@pytest.fixture
def raise_whistle(world, chain):
    """``raise_whistle(**overrides)``: a financing whistle of the chain leader, routed to the
    finance department, raised by city staff at MONDAY_9 unless ``now`` is given."""
    from ecosystem.whistles import services

    def make(*, actor=None, now=None, departments=None, **data):
        payload = {
            "enterprise": chain.leader,
            "category": "financing",
            "title": "扩产资金缺口2亿元",
            **data,
        }
        return services.whistle_raise(
            actor=actor or world.staff,
            data=payload,
            departments=[chain.finance] if departments is None else departments,
            now=now or MONDAY_9,
        )

    return make
