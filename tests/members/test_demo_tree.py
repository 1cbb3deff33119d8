"""The demo's organization tree keeps the party's rules except a few deliberate warnings, and
its mobile members hold activity cards and transfer letters in every state."""

from collections import Counter

import pytest

from demo import members as members_demo
from demo import seed as demo_seed
from demo.logins import staff_user
from members.choices import TransferLetterStatus
from members.models import PartyMember, TransferLetter
from organizations.health import health_of
from organizations.models import PartyOrganization

pytestmark = pytest.mark.django_db


def test_small_demo_tree_is_in_order_but_for_deliberate_warnings():
    demo_seed.seed_demo(scale="small", seed=3, areas=["organizations"])
    members_demo.seed_people(actor=staff_user(), scale="small", seed=3)
    health = health_of(PartyOrganization.objects.order_by("path"))
    flags = Counter(flag.code for h in health.values() for flag in h.flags)
    assert flags["branch_too_small"] == members_demo.SMALL_BRANCHES
    assert flags["branch_too_large"] == 0 and flags["general_branch_size"] == 0
    assert flags["committee_too_small"] == 0 and flags["term_ending"] == 0
    assert 1 <= flags["term_over"] <= 3
    assert 1 <= flags["suspension_due"] <= 3
    # Mobile members: cards issued and reviewed, and letters in every state.
    mobile = PartyMember.objects.filter(activity_card_number__gt="")
    assert mobile.filter(activity_card_reviewed_on__isnull=False).exists()
    assert mobile.filter(activity_card_reviewed_on__isnull=True).exists()
    states = set(TransferLetter.objects.values_list("status", flat=True))
    assert states == set(TransferLetterStatus.values)
