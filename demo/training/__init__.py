"""Demo training data for the demo city: a year of the party school's activity at the city's
scale (DESIGN.md §6; the figures of issue 6): 5 party-school teachers and 16 backbone lecturers
from departments, a course menu across the five topics, 112 classes with 270 sessions and about
12,000 person-times, 4,127 party lessons, 2,775 touring lectures and 500 "小哥说/司机说/主播说"
events, resource packs with workers' progress, 220 education sites with VR links and pioneer
designations.

It reads the demo's workers, members, organizations and regions and is deterministic for a
seed (and the day it runs: the year is the current one, and only days up to today have
attendance, lessons and events). Rows are bulk-inserted: this is seed data, not user writes,
so no audit rows are written (the catalogue goes through the services, audited).

The package: ``texts`` the fixed texts and sizes, ``common`` small helpers, ``catalogue``
lecturers and courses (through the services), ``classes``, ``activities`` (lessons, outreach,
designations) and ``learning`` (sites and resources), bulk-inserted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from organizations.models import Region
from training.models import (
    Attendance,
    Course,
    EducationSite,
    Enrollment,
    LearningResource,
    Lecturer,
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
    Session,
    TrainingClass,
)

from .activities import _designations, _lessons, _outreach
from .catalogue import _catalogue, title_industries
from .classes import _classes
from .learning import _resources, _sites
from .texts import SCALES

__all__ = ["SCALES", "TrainingSeedResult", "seed_training", "title_industries"]


@dataclass
class TrainingSeedResult:
    lecturers: int
    courses: int
    classes: int
    sessions: int
    enrollments: int
    person_times: int
    completed: int
    party_lessons: int
    outreach_events: int
    sites: int
    resources: int
    designations: int


def seed_training(*, actor: Any, scale: str = "city", seed: int = 2026) -> TrainingSeedResult:
    """Create the demo training data (idempotent: nothing is added if classes exist)."""
    rng = random.Random(seed * 7 + 6)
    n_classes, n_sessions, person_times, n_lessons, n_lectures, n_says, n_sites, n_online = (
        SCALES.get(scale, SCALES["city"])
    )
    today = timezone.localdate()
    year = today.year
    with transaction.atomic():
        if not TrainingClass.objects.exists() and Region.objects.exists():
            lecturers, courses = _catalogue(actor)
            _classes(rng, year, today, n_classes, n_sessions, person_times, courses, lecturers)
            _lessons(rng, year, today, n_lessons, courses)
            _outreach(rng, year, today, n_lectures, n_says, lecturers)
            _sites(rng, n_sites)
            _resources(rng, n_online, today)
            _designations(rng, year, today)
    return TrainingSeedResult(
        lecturers=Lecturer.objects.count(),
        courses=Course.objects.count(),
        classes=TrainingClass.objects.count(),
        sessions=Session.objects.count(),
        enrollments=Enrollment.objects.count(),
        person_times=Attendance.objects.count(),
        completed=Enrollment.objects.filter(completed=True).count(),
        party_lessons=PartyLesson.objects.count(),
        outreach_events=OutreachEvent.objects.count(),
        sites=EducationSite.objects.count(),
        resources=LearningResource.objects.count(),
        designations=PioneerDesignation.objects.count(),
    )
