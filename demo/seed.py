"""The whole demo, area by area: each area is written in one transaction and skipped when its
rows are already there, so a run that failed half-way is completed by the next one and a
second run over a complete demo changes nothing but the logins.

The areas run in dependency order (the city first, coverage last since it reads every other
area). An area is "present" when its main table has rows, never because an earlier area is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from appeals.assistance.models import AssistanceFund
from appeals.models import Appeal
from branchlife.models import Meeting
from core.context import request_context
from coverage.models import CoverageSnapshot
from ecosystem.jobfairs.models import JobFair
from grid.models import Volunteer
from members.models import PartyMember, Worker
from organizations.choices import CoverageMode, EnterpriseStatus
from organizations.models import (
    Enterprise,
    Instructor,
    InstructorAssignment,
    InstructorEvaluation,
    PartyOrganization,
    Region,
)
from stations.models import Station
from taskforce.models import TaskForce
from training.models import TrainingClass

from . import city, recruitment
from .logins import Login, ensure_logins, staff_user

SCALES = city.SCALES
DEFAULT_SEED = city.DEFAULT_SEED


@dataclass
class Area:
    """One area of the demo: ``present()`` says whether its rows exist, ``seed(actor, scale,
    seed, log)`` writes them (inside the area's transaction) and returns a one-line summary."""

    name: str
    present: Callable[[], bool]
    seed: Callable[..., str]


@dataclass
class SeedReport:
    scale: str
    seed: int
    seeded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0
    logins: list[Login] = field(default_factory=list)
    api_key: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


class SeedError(Exception):
    """An area failed; its transaction was rolled back and the areas before it are kept."""

    def __init__(self, area: str, cause: BaseException):
        super().__init__(f"{area}: {type(cause).__name__}: {cause}")
        self.area = area
        self.cause = cause


# --- the areas ---------------------------------------------------------------------------------


def _organizations(actor, scale: str, seed: int) -> str:
    plan = city.build_plan(scale=scale, seed=seed)
    city.load_plan(plan, actor=actor, bulk=scale == "province")
    c = organization_counts()
    modes = " · ".join(f"{mode} {n}" for mode, n in c["coverage"].items())
    return (
        f"regions {c['regions']}, party organizations {c['organizations']}, enterprises "
        f"{c['enterprises']} (closed {c['closed']}), instructors {c['instructors']}, open "
        f"assignments {c['open_assignments']}, {city.EVALUATION_YEAR} evaluations "
        f"{c['evaluations']}; coverage: {modes}"
    )


def _people(actor, scale: str, seed: int) -> str:
    from .members import seed_people

    r = seed_people(actor=actor, scale=scale, seed=seed)
    found = r.matching
    cases = " · ".join(f"{status} {n}" for status, n in sorted(r.cases.items()))
    return (
        f"workers {r.workers}, party members {r.members} (rejected roster rows "
        f"{r.rejected_rows}); two finds: {found.get('auto_accepted', 0)} accepted, "
        f"{found.get('review', 0)} to review; cases {cases}; member reports {r.claims}"
    )


def _stations(actor, scale: str, seed: int) -> str:
    from .stations import seed_stations

    r = seed_stations(actor=actor, scale=scale, seed=seed)
    return (
        f"stations {r.stations} (6+X compliant {r.compliant}), medicine cabinets {r.cabinets} "
        f"(low-stock items {r.low_stock}), check-ins {r.check_ins}, workers located "
        f"{r.workers_located}; service circle: {r.circle['covered']} of {r.circle['workers']} "
        f"workers within {r.circle['radius_m']} m, {r.circle['hot_spot_cells']} uncovered "
        f"cells, {r.circle['suggested_sites']} suggested sites"
    )


def _training(actor, scale: str, seed: int) -> str:
    from .training import seed_training

    r = seed_training(actor=actor, scale=scale, seed=seed)
    return (
        f"lecturers {r.lecturers}, courses {r.courses}, classes {r.classes}, sessions "
        f"{r.sessions}, enrollments {r.enrollments} (completed {r.completed}), person-times "
        f"{r.person_times}, party lessons {r.party_lessons}, outreach events "
        f"{r.outreach_events}, education sites {r.sites}, resources {r.resources}, pioneer "
        f"designations {r.designations}"
    )


def _appeals(actor, scale: str, seed: int) -> str:
    from .appeals import seed_appeals

    r = seed_appeals(actor=actor, scale=scale, seed=seed)
    states = " · ".join(f"{status} {n}" for status, n in sorted(r.by_status.items()))
    return (
        f"appeals {r.appeals} ({states}), overdue {r.overdue}, hot spots {r.hotspots}, "
        f"merged duplicates {r.merged}"
    )


def _assistance(actor, scale: str, seed: int) -> str:
    from .assistance import seed_assistance

    r = seed_assistance(actor=actor, scale=scale, seed=seed)
    return (
        f"funds {r.funds}, disbursements {r.disbursements}, {r.disbursed:,.2f} yuan and "
        f"{r.boxes_given} boxes of fever tablets given"
    )


def _taskforce(actor, scale: str, seed: int) -> str:
    from .taskforce import seed_taskforce

    r = seed_taskforce(actor=actor, scale=scale, seed=seed)
    return (
        f"member units {r.units}, meetings {r.meetings}, tasks {r.tasks} (overdue {r.overdue}, "
        f"escalated {r.escalated}), measures {r.measures} with {r.reports} quarterly reports; "
        f"research: {r.cadres} cadres, {r.groups} groups, {r.visits} visits, {r.interviews} "
        f"interviews, {r.demands} demands ({r.appeals} became appeals)"
    )


def _grid(actor, scale: str, seed: int) -> str:
    from .grid import seed_grid

    r = seed_grid(actor=actor, scale=scale, seed=seed)
    states = " · ".join(f"{status} {n}" for status, n in sorted(r.by_status.items()))
    return (
        f"grid volunteers {r.volunteers}, tasks {r.tasks} ({states}), campaign tasks "
        f"{r.campaign_tasks}, ledger entries {r.entries}, redemptions {r.redemptions}"
    )


def _branchlife(actor, scale: str, seed: int) -> str:
    from .branchlife import seed_branchlife

    r = seed_branchlife(actor=actor, scale=scale, seed=seed)
    return (
        f"meetings {r.meetings} (branches behind {r.behind}), participations "
        f"{r.participations}, absent six months {r.absent_flagged}; dues declarations "
        f"{r.declarations}, payments {r.payments} covering {r.months_paid} months (below the "
        f"standard {r.below_standard}), unpaid six months {r.unpaid_flagged}; evaluations "
        f"{r.evaluations}; elections {r.elections}, terms overdue {r.terms_overdue}"
    )


def _ecosystem(actor, scale: str, seed: int) -> str:
    from .ecosystem import seed_ecosystem

    r = seed_ecosystem(actor=actor, scale=scale, seed=seed)
    states = " · ".join(f"{s} {n}" for s, n in r.whistles.items())
    orgs = " · ".join(f"{k} {n}" for k, n in r.mass_orgs.items())
    return (
        f"job fairs {r.fairs}, employers {r.employers}, positions {r.positions} ({r.openings} "
        f"openings), applications {r.applications}, positions matched {r.matched}; chains "
        f"{r.chains}, chain enterprises {r.chain_enterprises}, policies {r.policies}, whistles "
        f"({states}), solved {r.solved}, overdue escalated {r.overdue_escalated}, loans "
        f"{r.loans:,.2f} yuan, talents {r.talents}; mass organizations ({orgs}), care classes "
        f"{r.care_classes}, mediation cases {r.mediation_cases}"
    )


def _coverage(actor, scale: str, seed: int) -> str:
    """Last: today's coverage snapshot and a year of month-end snapshots for the trend chart."""
    from io import StringIO

    city.backdate_enterprises()
    city.backdate_workers()
    out = StringIO()
    call_command("coverage_rollup", backfill_months=12, stdout=out)
    return out.getvalue().strip().replace("\n", "; ")


AREAS: tuple[Area, ...] = (
    Area(
        "organizations",
        lambda: PartyOrganization.objects.filter(code=city.WORKING_COMMITTEE_CODE).exists(),
        _organizations,
    ),
    Area("people", lambda: Worker.objects.exists(), _people),
    Area("stations", lambda: Station.objects.exists(), _stations),
    Area("training", lambda: TrainingClass.objects.exists(), _training),
    Area("recruitment", recruitment.present, recruitment.seed_area),
    Area("appeals", lambda: Appeal.objects.exists(), _appeals),
    Area("assistance", lambda: AssistanceFund.objects.exists(), _assistance),
    Area("taskforce", lambda: TaskForce.objects.exists(), _taskforce),
    Area("grid", lambda: Volunteer.objects.exists(), _grid),
    Area("branchlife", lambda: Meeting.objects.exists(), _branchlife),
    Area("ecosystem", lambda: JobFair.objects.exists(), _ecosystem),
    Area("coverage", lambda: CoverageSnapshot.objects.exists(), _coverage),
)


# --- the run -----------------------------------------------------------------------------------


def organization_counts() -> dict[str, Any]:
    modes = dict(Enterprise.objects.values_list("coverage_mode").annotate(n=Count("pk")).order_by())
    return {
        "regions": Region.objects.count(),
        "organizations": PartyOrganization.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "closed": Enterprise.objects.filter(status=EnterpriseStatus.CLOSED).count(),
        "instructors": Instructor.objects.count(),
        "open_assignments": InstructorAssignment.objects.filter(ended_on__isnull=True).count(),
        "evaluations": InstructorEvaluation.objects.filter(year=city.EVALUATION_YEAR).count(),
        "coverage": {mode: modes.get(mode, 0) for mode in CoverageMode.values},
    }


def demo_counts() -> dict[str, int]:
    """What a visitor of the dashboard should find: one count per area."""
    return {
        "enterprises": Enterprise.objects.count(),
        "workers": Worker.objects.count(),
        "party members": PartyMember.objects.count(),
        "stations": Station.objects.count(),
        "training classes": TrainingClass.objects.count(),
        "appeals": Appeal.objects.count(),
        "assistance funds": AssistanceFund.objects.count(),
        "meetings": Meeting.objects.count(),
        "coverage snapshots": CoverageSnapshot.objects.count(),
    }


def seed_demo(
    *,
    scale: str = "city",
    seed: int = DEFAULT_SEED,
    areas: Iterable[str] | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> SeedReport:
    """Write every missing area (or only those named in ``areas``, for tests), then renew the
    logins. Raises :class:`SeedError` naming the area that failed; what was written before it
    stays, and the next run continues there."""
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; use one of {', '.join(SCALES)}.")
    wanted = set(areas) if areas is not None else {a.name for a in AREAS}
    unknown = wanted - {a.name for a in AREAS}
    if unknown:
        raise ValueError(f"Unknown demo areas: {', '.join(sorted(unknown))}.")
    report = SeedReport(scale=scale, seed=seed)
    started = time.perf_counter()
    with request_context():
        actor = staff_user()
    for area in AREAS:
        if area.name not in wanted:
            continue
        if area.present():
            report.skipped.append(area.name)
            log(f"  {area.name}: already present, kept")
            continue
        area_started = time.perf_counter()
        try:
            with request_context(), transaction.atomic():
                summary = area.seed(actor, scale, seed)
        except Exception as exc:
            raise SeedError(area.name, exc) from exc
        report.seeded.append(area.name)
        line = f"  {area.name} ({time.perf_counter() - area_started:.1f} s): {summary}"
        report.lines.append(line)
        log(line)
    with request_context(), transaction.atomic():
        report.logins, report.api_key = ensure_logins(actor)
        # The officers exist now: each open two-finds case goes to whoever answers for it.
        from members.services.cases import cases_fill_owners

        cases_fill_owners(actor=actor, replacing=actor)
    report.counts = demo_counts()
    report.seconds = time.perf_counter() - started
    return report
