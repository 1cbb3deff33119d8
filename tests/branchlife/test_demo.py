"""The demo year of organization life at the small scale: meetings with some branches behind,
dues for every member with arrears, a few flagged under the six-month rules, last year's
evaluations, overdue terms; a second run adds nothing."""

import pytest

from branchlife.models import DuesDeclaration, Evaluation, Meeting
from demo import branchlife as branchlife_demo
from demo import members as members_demo
from demo import seed as demo_seed
from demo.logins import staff_user
from members.models import PartyMember

pytestmark = pytest.mark.django_db


def test_small_demo_year():
    demo_seed.seed_demo(scale="small", seed=5, areas=["organizations"])
    staff = staff_user()
    members_demo.seed_people(actor=staff, scale="small", seed=5)
    r = branchlife_demo.seed_branchlife(actor=staff, scale="small", seed=5)
    assert r.meetings and r.participations and r.payments
    assert 0 < r.behind < Meeting.objects.values("organization").distinct().count()
    paying = PartyMember.objects.filter(status__in=("full", "probationary"))
    located = paying.exclude(organization__isnull=True, host_organization__isnull=True)
    assert DuesDeclaration.objects.values("member").distinct().count() == located.count()
    assert r.unpaid_flagged > 0 and r.absent_flagged > 0 and r.below_standard > 0
    assert r.terms_overdue > 0 and r.elections > 0
    assert Evaluation.objects.values("rating").distinct().count() >= 3
    again = branchlife_demo.seed_branchlife(actor=staff, scale="small", seed=5)
    assert again == r
