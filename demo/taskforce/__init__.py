"""Demo of the task force (called by ``seed_demo`` after the appeals and assistance).

- The task force led by the organization department with the six member units of the demo
  city (网信, 市场监管, 邮政, 交通, 人社, 总工会), their duties and two contacts each, and one
  staff user per unit (``unit_<code>``, a ``department`` grant; ``demo.logins`` prints a
  password for ``unit_postal``).
- A year of meetings: a deployment meeting, monthly progress meetings and two special ones,
  each with decisions that became tasks for one to three units, progress reports, and — for
  some past-due tasks — no completion: overdue, and escalated to the lead by the same scan as
  production once their grace on the working-time calendar has passed.
- The 18 measures with their texts, responsible units and indicators, reported quarterly by
  the units (a few Q3 reports missing: overdue).
- The "百人万里行" campaign: exactly 143 cadres in 70 groups, 120 visits made (and a few
  planned), 353 interviews (about a third with workers on the roster), the demands collected
  (some turned into appeals through the appeals' intake, others attached to measures or
  marked as policy input) and the five outputs.

Rows are bulk-created; deterministic for a seed; dates end today (Asia/Shanghai) and due dates
stay inside this year's official calendar.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from demo.city import DEFAULT_SEED
from taskforce import services as tf_services
from taskforce.choices import TaskStatus
from taskforce.models import Cadre, Interview, ResearchGroup, TaskForce, Visit

from .common import TaskforceResult, departments, seed_units, unit_users_of
from .measures import seed_measures
from .meetings import seed_meetings
from .research import seed_research


def seed_taskforce(
    *, actor: Any, scale: str = "city", seed: int = DEFAULT_SEED, today: dt.date | None = None
) -> TaskforceResult:
    today = today or timezone.localdate()
    rng = random.Random(f"taskforce-{seed}")
    units, lead = departments()
    unit_users = unit_users_of(units)
    TaskForce.objects.create(
        name="新就业群体党建工作专班",
        lead_unit=lead,
        lead=actor if getattr(actor, "pk", None) else None,
        escalation_grace_days=2,
    )
    seed_units(rng, units, lead, today)
    meetings, tasks = seed_meetings(rng, actor, units, lead, today)
    escalated = tf_services.escalate_overdue_tasks()
    now = timezone.now()
    overdue = sum(1 for t in tasks if t.status != TaskStatus.DONE and t.due_at < now)
    measures, reports = seed_measures(rng, units, lead, today, unit_users)
    campaign, demands, appeals = seed_research(rng, actor, units, lead, today)
    return TaskforceResult(
        units=len(units),
        meetings=meetings,
        tasks=len(tasks),
        overdue=overdue,
        escalated=escalated,
        measures=measures,
        reports=reports,
        cadres=Cadre.objects.filter(group__campaign=campaign).count(),
        groups=ResearchGroup.objects.filter(campaign=campaign).count(),
        visits=Visit.objects.filter(group__campaign=campaign, visited_on__isnull=False).count(),
        interviews=Interview.objects.filter(visit__group__campaign=campaign).count(),
        demands=demands,
        appeals=appeals,
    )
