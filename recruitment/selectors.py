"""Reads of the membership pipeline. Each takes the acting user and returns what that user may
see (``organizations.scoping``): a branch secretary sees their subtree's candidates.

The figures are GROUP BY queries, one per dimension, whatever the number of candidates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import add_months
from members.choices import PoliticalStatus
from members.models import Worker
from organizations import scoping
from organizations.models import Region

from . import steps
from .choices import OverdueKind, Stage, StepCode
from .models import Candidate, Step

_RELATED = ("organization", "industry", "region", "worker", "member")


def candidates_for(user: Any) -> QuerySet[Candidate]:
    return scoping.restrict(Candidate.objects.select_related(*_RELATED), user)


def candidate_for(user: Any, pk: int) -> Candidate | None:
    """One candidate ``user`` can see, else ``None`` (unknown and out of scope alike)."""
    return candidates_for(user).filter(pk=pk).first()


def steps_for(user: Any) -> QuerySet[Step]:
    return scoping.restrict(
        Step.objects.select_related("candidate", "candidate__organization", "actor"), user
    )


def candidate_steps(user: Any, candidate: Candidate) -> QuerySet[Step]:
    return steps_for(user).filter(candidate=candidate).order_by("number", "on", "id")


def leads_for(user: Any) -> QuerySet[Worker]:
    """Workers who declare themselves activists (入党积极分子) and are not in the pipeline: a
    list for the branch to follow up, not a stage."""
    return (
        scoping.restrict(Worker.objects.select_related("industry", "region", "enterprise"), user)
        .filter(political_status=PoliticalStatus.ACTIVIST, active=True)
        .exclude(candidacies__isnull=False)
        .order_by("name", "id")
    )


# --- the board -------------------------------------------------------------------------------


@dataclass
class Breakdown:
    """Candidates per stage for each value of one dimension."""

    title: str
    rows: list[tuple[str, dict[str, int], int]] = field(default_factory=list)


@dataclass
class Board:
    totals: dict[str, int]
    total: int
    breakdowns: list[Breakdown]


def _breakdown(queryset: QuerySet, title: str, key: str, label: str | None) -> Breakdown:
    counts: dict[Any, dict[str, int]] = {}
    labels: dict[Any, str] = {}
    names = (key, label) if label else (key,)
    for row in queryset.values(*names, "stage").annotate(n=Count("pk")).order_by():
        counts.setdefault(row[key], {})[row["stage"]] = row["n"]
        labels[row[key]] = str(row[label or key] or _("Not given"))
    out = Breakdown(title)
    for value in sorted(counts, key=lambda v: (v is None, labels[v])):
        per_stage = {s.value: counts[value].get(s.value, 0) for s in steps.STAGES}
        out.rows.append((labels[value], per_stage, sum(per_stage.values())))
    return out


#: Length of a district's region path ("320400/320402/").
DISTRICT_PATH_LENGTH = 14


def board(user: Any) -> Board:
    """People per stage, in total and by industry, district and organization (five queries)."""
    queryset = scoping.restrict(Candidate.objects.all(), user)
    totals = {s.value: 0 for s in steps.STAGES} | board_totals(user)
    by_district = queryset.annotate(district=Substr("region__path", 1, DISTRICT_PATH_LENGTH))
    district = _breakdown(by_district, _("By district"), "district", None)
    paths = [row[0] for row in district.rows if row[0] != str(_("Not given"))]
    names = dict(Region.objects.filter(path__in=paths).values_list("path", "name"))
    district.rows = [(names.get(r[0], r[0]), r[1], r[2]) for r in district.rows]
    return Board(
        totals=totals,
        total=sum(totals.values()),
        breakdowns=[
            _breakdown(queryset, _("By industry"), "industry_id", "industry__name"),
            district,
            _breakdown(queryset, _("By organization"), "organization_id", "organization__name"),
        ],
    )


@dataclass
class StageColumn:
    """One stage of the board: its count and the candidates who moved last."""

    stage: Stage
    count: int
    candidates: list[Candidate]


def board_columns(user: Any, *, per_stage: int = 8) -> list[StageColumn]:
    """The board by stage: for each stage its count and the ``per_stage`` candidates whose
    last step is the most recent (one query per stage, whatever the number of candidates)."""
    totals = board_totals(user)
    queryset = scoping.restrict(Candidate.objects.select_related("organization"), user)
    return [
        StageColumn(
            stage,
            totals.get(stage.value, 0),
            list(queryset.filter(stage=stage).order_by("-last_step_on", "-pk")[:per_stage]),
        )
        for stage in steps.STAGES
    ]


# --- overdue steps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    candidate: Candidate
    kind: OverdueKind
    since: dt.date
    due: dt.date

    @property
    def kind_label(self) -> str:
        return str(self.kind.label)


def _overdue_querysets(user: Any, today: dt.date) -> tuple[QuerySet, QuerySet, QuerySet]:
    queryset = candidates_for(user)
    talk_limit = add_months(today, -steps.TALK_WITHIN_MONTHS)
    no_talk = queryset.filter(last_step=1, applied_on__lt=talk_limit).order_by("applied_on", "pk")
    vote = Step.objects.filter(candidate=OuterRef("pk"), code=StepCode.ADMISSION_VOTE).values("on")
    approval_limit = add_months(today, -steps.APPROVAL_WITHIN_MONTHS)
    pending = (
        queryset.filter(
            last_step__gte=steps.spec(StepCode.ADMISSION_VOTE).number,
            last_step__lt=steps.spec(StepCode.ADMISSION_APPROVAL).number,
        )
        .annotate(voted_on=Subquery(vote[:1]))
        .filter(voted_on__lt=approval_limit)
        .order_by("voted_on", "pk")
    )
    horizon = today + dt.timedelta(days=steps.PROBATION_WARNING_DAYS)
    ending = queryset.filter(stage=Stage.PROBATIONARY, member__probation_due__lte=horizon).order_by(
        F("member__probation_due").asc(), "pk"
    )
    return no_talk, pending, ending


def overdue(user: Any, *, today: dt.date | None = None) -> list[Overdue]:
    """Steps overdue or due soon: no talk within a month of the application; the admission
    pending with the higher committee beyond three months of the vote; probation ending within
    30 days (or already over) without the full-membership approval. Three queries."""
    no_talk, pending, ending = _overdue_querysets(user, today or timezone.localdate())
    out: list[Overdue] = []
    for c in no_talk:
        due = add_months(c.applied_on, steps.TALK_WITHIN_MONTHS)
        out.append(Overdue(c, OverdueKind.NO_TALK, c.applied_on, due))
    for c in pending:
        due = add_months(c.voted_on, steps.APPROVAL_WITHIN_MONTHS)
        out.append(Overdue(c, OverdueKind.APPROVAL_PENDING, c.voted_on, due))
    for c in ending:
        member = c.member
        out.append(Overdue(c, OverdueKind.PROBATION_ENDING, member.joined_on, member.probation_due))
    return out


def overdue_count(user: Any, *, today: dt.date | None = None) -> int:
    """How many rows :func:`overdue` lists, counted in the database (three COUNT queries)."""
    return sum(q.count() for q in _overdue_querysets(user, today or timezone.localdate()))


# --- the dashboard ---------------------------------------------------------------------------


def dashboard_figures(user: Any) -> list[dict[str, Any]]:
    """The pipeline's cards: people per stage before full membership, and overdue steps
    (for users who may see the pipeline: political status is sensitive)."""
    if not getattr(user, "has_perm", None) or not user.has_perm("recruitment.view_candidate"):
        return []
    data = board_totals(user)
    url = reverse("recruitment:board")
    cards = [
        {
            "key": f"recruitment_{stage.value}",
            "title": str(stage.label),
            "value": data.get(stage.value, 0),
            "denominator": None,
            "url": url,
            "note": _("in the pipeline"),
        }
        for stage in steps.STAGES[:-1]
    ]
    cards.append(
        {
            "key": "recruitment_overdue",
            "title": _("Overdue pipeline steps"),
            "value": overdue_count(user),
            "denominator": None,
            "url": reverse("recruitment:overdue"),
            "note": _("talks, approvals, probations"),
        }
    )
    return cards


def board_totals(user: Any) -> dict[str, int]:
    rows = scoping.restrict(Candidate.objects.all(), user).values("stage").annotate(n=Count("pk"))
    return {row["stage"]: row["n"] for row in rows.order_by()}
