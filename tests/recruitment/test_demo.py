"""The demo pipeline: people in every stage, steps that keep the party's rules, overdue cases
on the list, and a second run that changes nothing."""

from io import StringIO

import pytest
from django.utils import timezone

from core.dates import add_months
from demo import seed as demo_seed
from members.choices import MemberStatus
from recruitment import selectors, steps
from recruitment.choices import OverdueKind, Stage, StepCode
from recruitment.models import Candidate, Step
from recruitment.rules import age_on


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


@pytest.mark.django_db(transaction=True)
def test_the_demo_pipeline_keeps_the_rules():
    areas = ("organizations", "people", "recruitment")
    demo_seed.seed_demo(scale="small", seed=3, areas=areas, log=StringIO().write)
    candidates = list(Candidate.objects.select_related("member", "worker"))
    assert len(candidates) == sum(demo_seed_scale().values())
    assert {c.stage for c in candidates} == set(steps.STAGES)
    assert any(c.worker_id for c in candidates)
    today = timezone.localdate()
    by_candidate: dict[int, list[Step]] = {}
    for step in Step.objects.order_by("candidate", "number", "on", "id"):
        by_candidate.setdefault(step.candidate_id, []).append(step)
    for c in candidates:
        rows = by_candidate[c.pk]
        assert sorted({s.number for s in rows}) == list(range(1, c.last_step + 1))
        dates = [s.on for s in rows]
        assert dates == sorted(dates) and dates[-1] <= today and dates[0] == c.applied_on
        assert age_on(c.birth_date, c.applied_on) >= steps.MIN_AGE
        on = {s.code: s.on for s in rows}
        if StepCode.TARGET_DECIDED in on:
            assert on[StepCode.TARGET_DECIDED] >= add_months(on[StepCode.RECOMMENDATION], 12)
        for s in rows:
            if s.code in (StepCode.ADMISSION_VOTE, StepCode.FULL_VOTE):
                d = s.details
                assert d["present"] * 2 > d["voting_members"] < d["in_favour"] * 2
            if s.code == StepCode.INTRODUCERS:
                assert len(s.details["introducers"]) == 2
        if c.stage in (Stage.PROBATIONARY, Stage.FULL):
            assert c.member.joined_on == on[StepCode.ADMISSION_VOTE]
            want = MemberStatus.FULL if c.stage == Stage.FULL else MemberStatus.PROBATIONARY
            assert c.member.status == want
        else:
            assert c.member is None
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="zuzhibu")
    kinds = {row.kind for row in selectors.overdue(staff)}
    assert kinds == set(OverdueKind), kinds
    # A second run changes nothing.
    before = (Candidate.objects.count(), Step.objects.count())
    report = demo_seed.seed_demo(scale="small", seed=3, areas=areas)
    assert "recruitment" in report.skipped
    assert (Candidate.objects.count(), Step.objects.count()) == before


def demo_seed_scale():
    from demo.recruitment import SCALES

    return SCALES["small"]


@pytest.mark.django_db(transaction=True)
def test_no_demo_step_is_dated_after_today_whatever_the_seed():
    """The board showed a probationer's "提出转正申请" dated next week: the overdue probation
    cases could land their last step in the future."""
    from django.contrib.auth import get_user_model

    from demo.recruitment import seed_recruitment
    from members.models import PartyMember

    demo_seed.seed_demo(
        scale="small", seed=3, areas=("organizations", "people"), log=StringIO().write
    )
    actor = get_user_model().objects.get(username="zuzhibu")
    today = timezone.localdate()
    for seed in range(4):
        Step.objects.all().delete()
        Candidate.objects.all().delete()
        PartyMember.objects.filter(member_id__startswith="FZ").delete()
        seed_recruitment(actor=actor, scale="city", seed=seed)
        late = Step.objects.filter(on__gt=today).values_list("candidate__name", "number", "on")
        assert not late, (seed, list(late[:5]))
        assert not Candidate.objects.filter(last_step_on__gt=today).exists(), seed
