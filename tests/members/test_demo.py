"""The demo people: loaded through the intake services, matched, followed up."""

import pytest

from demo import members as members_demo
from demo import seed as demo_seed
from demo.logins import staff_user
from members.choices import CaseStatus, ProposalStatus
from members.models import Case, CaseEvent, MatchProposal, PartyMember, Worker

pytestmark = pytest.mark.django_db


def test_small_demo_people_are_matched_and_followed_up():
    demo_seed.seed_demo(scale="small", seed=3, areas=["organizations"])
    result = members_demo.seed_people(actor=staff_user(), scale="small", seed=3)
    workers, members = members_demo.SCALES["small"]
    assert result.rejected_rows == 0
    assert Worker.objects.count() == workers and PartyMember.objects.count() == members
    # Derived on the way in: every worker with an ID has its birth date and pinyin.
    with_id = Worker.objects.exclude(id_number_index="")
    assert with_id.exists()
    assert not with_id.filter(birth_date__isnull=True).exists()
    accepted = MatchProposal.objects.filter(status=ProposalStatus.AUTO_ACCEPTED)
    assert accepted.count() >= 10
    assert result.matching["auto_accepted"] == accepted.count()
    # Every accepted pair has its case, and the cases moved along with one event per step.
    assert Case.objects.filter(proposal__in=accepted).count() == accepted.count()
    assert Case.objects.exclude(status=CaseStatus.DISCOVERED).exists()
    transferred = Case.objects.filter(status=CaseStatus.TRANSFERRED)
    assert transferred.exists()
    for case in transferred:
        assert case.events.count() == 6
        assert case.member.organization_id == case.organization_id
    assert CaseEvent.objects.count() >= Case.objects.count()
    assert result.claims > 0
