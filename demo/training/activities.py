"""A year of party lessons, touring lectures and "says" events, and pioneer designations
(bulk-inserted)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from members.models import PartyMember
from organizations.choices import EnterpriseKind, OrganizationKind
from organizations.models import Enterprise, Industry, PartyOrganization
from training.choices import (
    CourseTopic,
    DesignationKind,
    DesignationStatus,
    OutreachKind,
)
from training.models import (
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
)

from .common import _day_in_year, _districts, person_name
from .texts import LECTURE_THEMES, PLATE_LETTERS, SAYS, SAYS_TOPICS


def _lessons(rng, year, today, n_lessons, courses) -> None:
    branch_kinds = (
        OrganizationKind.BRANCH,
        OrganizationKind.JOINT_BRANCH,
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.MOBILE_BRANCH,
        OrganizationKind.PRIMARY_COMMITTEE,
    )
    organizations = list(PartyOrganization.objects.filter(kind__in=branch_kinds, status="active"))
    if not organizations:
        return
    members_of: dict[int, list[int]] = defaultdict(list)
    for pk, org, host in PartyMember.objects.values_list(
        "pk", "organization_id", "host_organization_id"
    ).order_by("pk"):
        for o in {org, host} - {None}:
            members_of[o].append(pk)
    political = [c for c in courses if c.topic == CourseTopic.POLITICAL_THEORY]
    lessons, attendee_rows = [], []
    for _k in range(n_lessons):
        org = rng.choice(organizations)
        course = rng.choice(political) if political and rng.random() < 0.6 else None
        audience = rng.randrange(6, 45)
        lessons.append(
            PartyLesson(
                organization=org,
                title=course.title if course else rng.choice(LECTURE_THEMES),
                speaker_name=org.secretary_name or person_name(rng),
                given_on=_day_in_year(rng, year, today),
                place=f"{org.short_name or org.name}活动室",
                course=course,
                audience_count=audience,
            )
        )
    PartyLesson.objects.bulk_create(lessons, batch_size=2000)
    through = PartyLesson.attendees.through
    for lesson in lessons:
        members = members_of.get(lesson.organization_id)
        if members and rng.random() < 0.5:
            for pk in rng.sample(members, min(len(members), lesson.audience_count, 8)):
                attendee_rows.append(through(partylesson_id=lesson.pk, partymember_id=pk))
    through.objects.bulk_create(attendee_rows, batch_size=5000)


def _outreach(rng, year, today, n_lectures, n_says, lecturers) -> None:
    districts = _districts()
    if not districts:
        return
    industries = {i.code: i for i in Industry.objects.all()}
    wc = PartyOrganization.objects.filter(kind=OrganizationKind.WORKING_COMMITTEE).first()
    committees = {
        o.industry_id: o
        for o in PartyOrganization.objects.filter(kind=OrganizationKind.INDUSTRY_COMMITTEE)
    }
    organizers = [o for o in [wc, *committees.values()] if o is not None]
    if not organizers:
        return
    events = []
    for _k in range(n_lectures):
        organizer = rng.choice(organizers)
        lecturer = rng.choice(lecturers)
        industry = organizer.industry or rng.choice(list(industries.values()))
        events.append(
            OutreachEvent(
                kind=OutreachKind.TOURING_LECTURE,
                title=rng.choice(LECTURE_THEMES),
                organizer=organizer,
                speaker_name=lecturer.name,
                lecturer=lecturer,
                industry=industry,
                region=rng.choice(districts),
                held_on=_day_in_year(rng, year, today),
                place="红色驿站",
                audience_count=rng.randrange(20, 120),
            )
        )
    for kind, label, codes, share in SAYS:
        for _k in range(round(n_says * share)):
            industry = industries.get(rng.choice(codes))
            organizer = committees.get(industry.pk if industry else None) or wc or organizers[0]
            events.append(
                OutreachEvent(
                    kind=kind,
                    title=f"“{label}”：{rng.choice(SAYS_TOPICS)}",
                    organizer=organizer,
                    speaker_name=person_name(rng),
                    industry=industry,
                    region=rng.choice(districts),
                    held_on=_day_in_year(rng, year, today),
                    place="站点学习角",
                    audience_count=rng.randrange(10, 70),
                )
            )
    OutreachEvent.objects.bulk_create(events, batch_size=2000)


def _designations(rng, year, today) -> None:
    members = list(
        PartyMember.objects.filter(organization__isnull=False).select_related("organization")
    )
    if not members:
        return
    units = defaultdict(list)
    for unit in Enterprise.objects.exclude(kind=EnterpriseKind.PLATFORM_HQ).select_related(
        "industry"
    ):
        units[unit.industry.code].append(unit)
    live = list(
        Enterprise.objects.filter(kind=EnterpriseKind.PLATFORM_HQ, industry__code="live_streaming")
    )
    chosen = rng.sample(members, min(len(members), 240))
    rows, plates = [], set()
    for n, member in enumerate(chosen):
        kind = (
            DesignationKind.PIONEER_POST
            if n < 120
            else DesignationKind.RED_FLAG_VEHICLE
            if n < 200
            else DesignationKind.RED_LIVE_ROOM
        )
        starts = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 200))
        status = DesignationStatus.ACTIVE if rng.random() < 0.92 else DesignationStatus.SUSPENDED
        data: dict[str, Any] = {}
        if kind == DesignationKind.PIONEER_POST:
            pool = units.get(rng.choice(("food_delivery", "express")), []) or [None]
            unit = rng.choice(pool)
            data = {"unit": unit, "title": f"{unit.name if unit else member.name}党员先锋岗"}
        elif kind == DesignationKind.RED_FLAG_VEHICLE:
            plate = ""
            while not plate or plate in plates:
                plate = f"苏D·{rng.choice(PLATE_LETTERS)}{rng.randrange(1000, 9999)}"
            plates.add(plate)
            data = {"plate": plate, "title": f"党员红旗车 {plate}"}
        else:
            if not live:
                continue
            platform = rng.choice(live)
            account = f"czhong{rng.randrange(10000, 99999)}"
            data = {
                "platform": platform,
                "account": account,
                "title": f"{member.name}红色直播间",
            }
        rows.append(
            PioneerDesignation(
                kind=kind,
                holder=member,
                organization=member.organization,
                starts_on=min(starts, today),
                status=status,
                **data,
            )
        )
    PioneerDesignation.objects.bulk_create(rows)
