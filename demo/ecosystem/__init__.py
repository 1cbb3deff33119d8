"""Demo of the ecosystem chain (called by ``seed_demo`` after assistance), at the seed's scale:

- **job fairs**: 150 live-streamed fairs (直播带岗) hosted by the working committee and the
  industry committees, streamed from red live rooms where the training demo has them; 800
  employers; positions whose hires make exactly 35,000 positions matched (applications in the
  state HIRED), with the non-hired applications beside them;
- **whistles**: the industry-chain comprehensive committee (产业链综合党委) under the working
  committee with its five chain committees and chains, enterprises on each chain, 456 policies
  for enterprises, 2,400 problems solved (resolved or closed) whose outcomes add up to
  46,025,000,000 yuan of loans coordinated (460.25亿) and 1,300 talents introduced, and a few
  hundred whistles raised, routed (some past their report time) and reported; the overdue ones
  are escalated by the very scan the beat runs;
- **mass organizations**: 140 women's-federation organizations, unions and youth-league
  organizations on the demo's enterprises, industries and districts, 38 care classes, mediation
  projects with cases (some started from wage appeals), start-up credit referrals and home
  improvements.

Every figure the pages show is counted from these rows. Written with ``bulk_create``;
deterministic for a seed (dates relative to today, Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from organizations.choices import RegionLevel
from organizations.models import PartyOrganization, Region

from ..city import DEFAULT_SEED, WORKING_COMMITTEE_CODE
from .common import SIZES
from .jobfairs import _seed_fairs
from .massorgs import _seed_massorgs
from .whistles import _seed_whistles

__all__ = ["SIZES", "EcosystemResult", "seed_ecosystem"]


@dataclass
class EcosystemResult:
    fairs: int
    employers: int
    positions: int
    openings: int
    applications: int
    matched: int
    chains: int
    chain_enterprises: int
    policies: int
    whistles: dict[str, int]
    solved: int
    overdue_escalated: int
    loans: Decimal
    talents: int
    mass_orgs: dict[str, int]
    care_classes: int
    mediation_cases: int


def seed_ecosystem(
    *, actor: Any, scale: str = "city", seed: int = DEFAULT_SEED, now: dt.datetime | None = None
) -> EcosystemResult:
    """Write the ecosystem demo (the caller skips it when job fairs exist)."""
    now = now or timezone.now()
    rng = random.Random(f"ecosystem-{seed}")
    sizes = SIZES.get(scale, SIZES["city"])
    wc = PartyOrganization.objects.get(code=WORKING_COMMITTEE_CODE)
    districts = list(Region.objects.filter(level=RegionLevel.DISTRICT).order_by("code")[:12])
    if not districts:
        districts = [wc.region]
    w = _seed_whistles(actor, rng, sizes, now, districts)
    f = _seed_fairs(rng, sizes, now, districts, wc)
    m = _seed_massorgs(rng, sizes, now, districts, wc)
    return EcosystemResult(
        fairs=f["fairs"],
        employers=f["employers"],
        positions=f["positions"],
        openings=f["openings"],
        applications=f["applications"],
        matched=f["matched"],
        chains=w["chains"],
        chain_enterprises=w["chain_enterprises"],
        policies=w["policies"],
        whistles=w["whistles"],
        solved=w["solved"],
        overdue_escalated=w["escalated"],
        loans=w["loans"],
        talents=w["talents"],
        mass_orgs=m["orgs"],
        care_classes=m["care"],
        mediation_cases=m["cases"],
    )
