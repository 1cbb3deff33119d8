"""The ecosystem demo at small scale: the seed's figures counted from the records, every
whistle state present, the overdue escalated by the scan, and a second run changing nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo import ecosystem as eco_demo
from demo import seed as demo_seed
from demo.logins import staff_user
from ecosystem.jobfairs import selectors as fairs
from ecosystem.jobfairs.models import JobApplication
from ecosystem.massorgs import selectors as massorgs
from ecosystem.whistles import selectors as whistles
from ecosystem.whistles.choices import WhistleEventKind, WhistleStatus
from ecosystem.whistles.models import IndustryChain, Whistle, WhistleEvent
from organizations.choices import OrganizationKind


@pytest.mark.django_db
def test_the_demo_figures_are_counted_from_records():
    demo_seed.seed_demo(scale="small", seed=7, areas=["organizations", "ecosystem"])
    staff = staff_user()
    fairs_n, employers_n, matched_n, solved_n, _open, wf_n, care_n = eco_demo.SIZES["small"]
    t = fairs.fair_stats(staff).totals
    assert (t["fairs"], t["employers"], t["matched"]) == (fairs_n, employers_n, matched_n)
    assert t["openings"] >= t["matched"]
    w = whistles.whistle_stats(staff).totals
    assert w["solved"] == solved_n
    assert w["loan_amount"] == Decimal("460250000.00")
    assert set(Whistle.objects.values_list("status", flat=True)) == set(WhistleStatus.values)
    assert WhistleEvent.objects.filter(kind=WhistleEventKind.ESCALATE).exists()
    chains = IndustryChain.objects.select_related("committee__parent")
    assert chains.count() == 5
    assert {c.committee.parent.kind for c in chains} == {OrganizationKind.CHAIN_GENERAL_COMMITTEE}
    m = massorgs.massorg_stats(staff)
    assert {r["kind"]: r["organizations"] for r in m.by_kind}["womens_federation"] == wf_n
    assert {r["kind"]: r["projects"] for r in m.projects}["care_class"] == care_n
    # A second run over a complete demo changes nothing.
    before = (JobApplication.objects.count(), Whistle.objects.count())
    demo_seed.seed_demo(scale="small", seed=7, areas=["organizations", "ecosystem"])
    assert (JobApplication.objects.count(), Whistle.objects.count()) == before
