"""The plan's plain specs: rows that refer to each other by stable keys (division codes,
organization codes, USCCs), and the plan that holds them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from organizations.choices import (
    CoverageMode,
    EnterpriseStatus,
    OrganizationBasis,
    OrganizationStatus,
)

from .reference import *  # noqa: F403

# --- specs ------------------------------------------------------------------------------------


@dataclass
class RegionSpec:
    code: str
    name: str
    level: str
    parent: str | None = None
    short_name: str = ""
    managed_by: str | None = None


@dataclass
class DepartmentSpec:
    code: str
    name: str
    short_name: str


@dataclass
class IndustrySpec:
    code: str
    name: str
    department: str
    sort_order: int


@dataclass
class OrganizationSpec:
    code: str
    name: str
    kind: str
    basis: str
    parent: str | None
    industry: str | None
    region: str | None
    secretary_name: str
    founded_on: dt.date
    term_ends_on: dt.date | None
    host: str | None = None  # USCC of the host unit (basis unit)
    status: str = OrganizationStatus.ACTIVE
    depth: int = 0


@dataclass
class EnterpriseSpec:
    uscc: str
    name: str
    kind: str
    industry: str
    region: str
    district: str  # for grouping; the region part of the USCC
    city: str
    worker_count: int
    address: str
    platform: str | None = None  # USCC of the platform headquarters
    status: str = EnterpriseStatus.OPERATING
    organization: str | None = None  # covering organization other than its own (joint, ...)
    has_liaison: bool = False
    has_union_or_league: bool = False
    category: str = "none"  # what the plan intends; the database derives the real mode


@dataclass
class InstructorSpec:
    key: str
    name: str
    department: str
    organization: str


@dataclass
class AssignmentSpec:
    instructor: str
    enterprise: str
    started_on: dt.date
    ended_on: dt.date | None = None


@dataclass
class EvaluationSpec:
    instructor: str
    year: int
    grade: str


@dataclass
class DemoPlan:
    scale: str
    seed: int
    regions: list[RegionSpec] = field(default_factory=list)
    departments: list[DepartmentSpec] = field(default_factory=list)
    industries: list[IndustrySpec] = field(default_factory=list)
    organizations: list[OrganizationSpec] = field(default_factory=list)
    enterprises: list[EnterpriseSpec] = field(default_factory=list)
    instructors: list[InstructorSpec] = field(default_factory=list)
    assignments: list[AssignmentSpec] = field(default_factory=list)
    evaluations: list[EvaluationSpec] = field(default_factory=list)

    def digest(self) -> str:
        """A SHA-256 over every spec: equal digests mean equal data."""
        h = hashlib.sha256()
        for name in (
            "regions",
            "departments",
            "industries",
            "organizations",
            "enterprises",
            "instructors",
            "assignments",
            "evaluations",
        ):
            for spec in getattr(self, name):
                h.update(json.dumps(asdict(spec), default=str, ensure_ascii=False).encode())
        return h.hexdigest()

    def intended_coverage(self) -> Counter:
        """The coverage modes the links of this plan should derive to (the same rule as
        :func:`services.coverage_mode_expression`, evaluated on the specs)."""
        orgs = {o.code: o for o in self.organizations}
        own = {o.host: o for o in self.organizations if o.host}
        open_assigned = {a.enterprise for a in self.assignments if a.ended_on is None}
        by_basis = {
            OrganizationBasis.UNIT: CoverageMode.STANDALONE,
            OrganizationBasis.JOINT: CoverageMode.JOINT,
            OrganizationBasis.REGIONAL: CoverageMode.REGIONAL,
            OrganizationBasis.INDUSTRY: CoverageMode.INDUSTRY,
        }
        counts: Counter = Counter()
        for e in self.enterprises:
            org = orgs.get(e.organization) if e.organization else own.get(e.uscc)
            if org is not None and org.status == OrganizationStatus.ACTIVE:
                counts[by_basis[org.basis]] += 1
            elif e.uscc in open_assigned or e.has_liaison or e.has_union_or_league:
                counts[CoverageMode.WORK_ONLY] += 1
            else:
                counts[CoverageMode.NONE] += 1
        return counts
