"""Arranging two-finds data for the members tests: proposals with evidence, cases."""

from members.choices import MatchRule, ProposalStatus
from members.models import MatchProposal

EVIDENCE = {
    "fields": {
        "name": {"level": "exact", "weight": 3.2, "similarity": 1.0},
        "name_pinyin": {"level": "exact", "weight": 1.1},
        "phone": {"level": "disagree", "weight": -1.5},
        "birth_date": {"level": "exact", "weight": 4.0},
        "region": {"level": "same_district", "weight": 0.8},
    },
    "blocking": "birth_date+surname",
}


def proposal(
    worker,
    member,
    *,
    score: float = 8.0,
    status=ProposalStatus.PROPOSED,
    evidence=None,
    uncertainty: float = 0.0,
):
    return MatchProposal.objects.create(
        worker=worker,
        member=member,
        rule=MatchRule.FUZZY,
        score=score,
        uncertainty=uncertainty,
        evidence=EVIDENCE if evidence is None else evidence,
        status=status,
    )
