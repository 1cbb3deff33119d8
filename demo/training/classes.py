"""A year of classes with their sessions, enrollments and attendance (bulk-inserted)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from members.models import Worker
from organizations.choices import OrganizationKind, RegionLevel
from organizations.models import PartyOrganization, Region
from training.choices import (
    AttendanceChannel,
    ClassStatus,
    EnrollmentSource,
)
from training.models import (
    Attendance,
    Course,
    Enrollment,
    Session,
    TrainingClass,
)
from training.services import sessions_needed

from .common import _at, _codes, _day_in_year, _districts
from .texts import CLASS_KINDS


def _classes(rng, year, today, n_classes, n_sessions, person_times, courses, lecturers) -> None:
    city = Region.objects.filter(level=RegionLevel.CITY).order_by("path").first()
    districts = _districts() or [city]
    wc = PartyOrganization.objects.filter(kind=OrganizationKind.WORKING_COMMITTEE).first()
    committees = list(PartyOrganization.objects.filter(kind=OrganizationKind.INDUSTRY_COMMITTEE))
    organizers = [o for o in [wc, *committees] if o is not None]
    if not organizers:
        return
    workers_by_industry: dict[int | None, list[int]] = defaultdict(list)
    for pk, industry_id in Worker.objects.filter(active=True).values_list("pk", "industry_id"):
        workers_by_industry[industry_id].append(pk)
    everyone = [pk for ids in workers_by_industry.values() for pk in ids]
    if not everyone:
        return
    extra = n_sessions - 2 * n_classes  # classes with a third session
    three = set(rng.sample(range(n_classes), max(0, min(extra, n_classes))))
    last_start = dt.date(year, 12, 20)
    plans = []
    for k in range(n_classes):
        organizer = wc if (wc is not None and k % 4 == 0) else rng.choice(organizers)
        n = 3 if k in three else 2
        starts = _day_in_year(rng, year, last_start)
        region = city if organizer == wc else rng.choice(districts)
        plans.append((organizer, region, starts, n))
    past_sessions = sum(
        sum(1 for d in range(n) if starts + dt.timedelta(days=d) <= today)
        for _o, _r, starts, n in plans
    )
    presence = 0.88
    per_session = person_times / max(past_sessions, 1)
    codes = _codes(rng, n_sessions)
    lecturers_of = {
        c.pk: list(c.lecturers.all())
        for c in Course.objects.filter(pk__in=[c.pk for c in courses]).prefetch_related("lecturers")
    }
    classes, sessions_of = [], []
    for k, (organizer, region, starts, n) in enumerate(plans):
        ends = starts + dt.timedelta(days=n - 1)
        status = (
            ClassStatus.FINISHED
            if ends < today
            else ClassStatus.OPEN
            if starts > today
            else ClassStatus.IN_PROGRESS
        )
        enrolled = max(5, round(rng.gauss(per_session / presence, 6)))
        title = CLASS_KINDS[k % len(CLASS_KINDS)]
        industry_name = organizer.industry.name if organizer.industry_id else "新就业群体"
        classes.append(
            TrainingClass(
                name=f"{year}年{industry_name}{title}（第{k // len(CLASS_KINDS) + 1}期）",
                organizer=organizer,
                region=region,
                starts_on=starts,
                ends_on=ends,
                place=f"{region.name}新就业群体党校教学点" if region else "",
                capacity=enrolled + rng.randrange(5, 30),
                status=status,
                description="",
            )
        )
        sessions_of.append((n, enrolled))
    TrainingClass.objects.bulk_create(classes)
    sessions, links = [], []
    for tc, (n, _enrolled) in zip(classes, sessions_of, strict=True):
        chosen = rng.sample(courses, n)
        links += [TrainingClass.courses.through(trainingclass=tc, course=c) for c in chosen]
        for d, course in enumerate(chosen):
            day = tc.starts_on + dt.timedelta(days=d)
            starts_at = _at(day, rng.choice((9, 14, 19)))
            sessions.append(
                Session(
                    training_class=tc,
                    course=course,
                    lecturer=rng.choice(lecturers_of.get(course.pk) or lecturers),
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=int(course.hours * 60)),
                    place=tc.place,
                    hours=course.hours,
                    check_in_code=codes.pop(),
                )
            )
    TrainingClass.courses.through.objects.bulk_create(links)
    Session.objects.bulk_create(sessions)
    by_class: dict[int, list[Session]] = defaultdict(list)
    for s in sessions:
        by_class[s.training_class_id].append(s)
    enrollments, picked = [], []
    for tc, (_n, enrolled) in zip(classes, sessions_of, strict=True):
        pool = workers_by_industry.get(tc.organizer.industry_id) or everyone
        chosen = rng.sample(pool, min(enrolled, len(pool)))
        picked.append(chosen)
        for pk in chosen:
            enrolled_at = _at(tc.starts_on - dt.timedelta(days=rng.randrange(1, 15)), 10)
            enrollments.append(Enrollment(training_class=tc, worker_id=pk, enrolled_at=enrolled_at))
    Enrollment.objects.bulk_create(enrollments, batch_size=2000)
    enrollment_of = {(e.training_class_id, e.worker_id): e for e in enrollments}
    attendances = []
    attended: dict[int, list[dt.date]] = defaultdict(list)
    for tc, chosen in zip(classes, picked, strict=True):
        for s in by_class[tc.pk]:
            if s.starts_at.date() > today:
                continue
            for pk in chosen:
                if rng.random() > presence:
                    continue
                e = enrollment_of[(tc.pk, pk)]
                channel = rng.choice(
                    (AttendanceChannel.PARTNER_APP, AttendanceChannel.QR, AttendanceChannel.QR)
                )
                attendances.append(
                    Attendance(
                        session=s,
                        worker_id=pk,
                        enrollment=e,
                        checked_in_at=s.starts_at - dt.timedelta(minutes=rng.randrange(0, 20)),
                        channel=channel,
                    )
                )
                attended[e.pk].append(s.starts_at.date())
    Attendance.objects.bulk_create(attendances, batch_size=5000)
    # Completion from what was generated, as services.class_refresh_completion derives it.
    total = {tc.pk: len(by_class[tc.pk]) for tc in classes}
    class_of = {tc.pk: tc for tc in classes}
    for e in enrollments:
        tc = class_of[e.training_class_id]
        needed = sessions_needed(
            total=total[tc.pk],
            numerator=tc.required_numerator,
            denominator=tc.required_denominator,
        )
        days = sorted(attended.get(e.pk, []))
        e.sessions_attended = len(days)
        e.completed = bool(needed) and len(days) >= needed
        e.completed_on = days[needed - 1] if e.completed else None
        e.source = EnrollmentSource.ENROLLED
    Enrollment.objects.bulk_update(
        enrollments, ["sessions_attended", "completed", "completed_on"], batch_size=2000
    )
