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
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from core.defaults import CODE_ALPHABET, CODE_LENGTH
from members.models import PartyMember, Worker
from organizations.choices import EnterpriseKind, OrganizationKind, RegionLevel
from organizations.models import Department, Enterprise, Industry, PartyOrganization, Region
from training import services
from training.choices import (
    AttendanceChannel,
    ClassStatus,
    CourseFormat,
    CourseTopic,
    DesignationKind,
    DesignationStatus,
    EnrollmentSource,
    LecturerKind,
    OutreachKind,
    ResourceKind,
    SiteKind,
)
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
    ResourcePack,
    ResourceProgress,
    Session,
    TrainingClass,
)
from training.services import sessions_needed

SH = ZoneInfo("Asia/Shanghai")

#: (classes, sessions, person-times, party lessons, touring lectures, says events, sites,
#:  workers with online progress)
SCALES = {
    "small": (12, 29, 1_200, 410, 270, 50, 22, 300),
    "city": (112, 270, 12_000, 4_127, 2_775, 500, 220, 3_000),
    "province": (112, 270, 12_000, 4_127, 2_775, 500, 220, 3_000),
}

TEACHERS = (
    ("王建平", "党校教授"),
    ("李晓红", "党校副教授"),
    ("张卫东", "党校副教授"),
    ("陈静", "党校讲师"),
    ("刘志刚", "党校讲师"),
)
BACKBONE = (
    ("周海涛", "market_regulation", "食品安全科科长"),
    ("吴丽萍", "market_regulation", "网络交易监管科副科长"),
    ("徐国庆", "postal", "市场监管科科长"),
    ("孙明", "postal", "安全监管科主任科员"),
    ("朱红梅", "transport", "运输服务科科长"),
    ("胡军", "transport", "道路运输安全科科长"),
    ("郭晓东", "transport", "出租汽车管理处副处长"),
    ("何佳", "cyberspace", "网络传播科科长"),
    ("高翔", "cyberspace", "网络社会工作科副科长"),
    ("林芳", "hrss", "劳动关系科科长"),
    ("罗志勇", "hrss", "职业能力建设科科长"),
    ("郑丽", "hrss", "社会保险科主任科员"),
    ("梁斌", "trade_unions", "法律工作部部长"),
    ("谢婷", "trade_unions", "权益保障部副部长"),
    ("宋立新", "market_regulation", "消费者权益保护科科长"),
    ("唐颖", "transport", "交通安全宣传中心主任"),
)
#: topic → [(title, hours, format)]
COURSES: dict[str, list[tuple[str, str, str]]] = {
    CourseTopic.POLITICAL_THEORY: [
        ("习近平新时代中国特色社会主义思想概论", "3.0", CourseFormat.OFFLINE),
        ("党的二十大精神学习辅导", "2.0", CourseFormat.OFFLINE),
        ("党章党规党纪教育", "2.0", CourseFormat.ONLINE),
        ("中国共产党党史专题", "2.0", CourseFormat.OFFLINE),
        ("新就业群体党员的初心使命", "1.5", CourseFormat.OFFLINE),
        ("流动党员组织生活规范", "1.5", CourseFormat.ONLINE),
    ],
    CourseTopic.FOUR_NEW: [
        ("新技术：平台算法与劳动者权益", "2.0", CourseFormat.OFFLINE),
        ("新产业：即时配送与城市服务", "2.0", CourseFormat.OFFLINE),
        ("新业态：直播电商的规范发展", "2.0", CourseFormat.ONLINE),
        ("新模式：网络货运与数字物流", "2.0", CourseFormat.OFFLINE),
        ("数字经济与新就业形态", "1.5", CourseFormat.ONLINE),
    ],
    CourseTopic.VOCATIONAL_SKILLS: [
        ("外卖配送服务规范与客户沟通", "2.0", CourseFormat.OFFLINE),
        ("快递业务员职业技能提升", "3.0", CourseFormat.OFFLINE),
        ("网约车驾驶员服务礼仪", "2.0", CourseFormat.OFFLINE),
        ("网络主播职业能力与内容创作", "3.0", CourseFormat.ONLINE),
        ("货车司机节能驾驶技术", "2.0", CourseFormat.OFFLINE),
        ("新能源车辆使用与维护", "2.0", CourseFormat.OFFLINE),
    ],
    CourseTopic.RIGHTS_AND_LAW: [
        ("劳动合同与新就业形态劳动者权益保障", "2.0", CourseFormat.OFFLINE),
        ("职业伤害保障试点政策解读", "1.5", CourseFormat.OFFLINE),
        ("社会保险参保政策问答", "1.5", CourseFormat.ONLINE),
        ("网络直播营销法律法规", "2.0", CourseFormat.ONLINE),
        ("道路运输条例与合规经营", "2.0", CourseFormat.OFFLINE),
        ("劳动争议调解与法律援助", "1.5", CourseFormat.OFFLINE),
    ],
    CourseTopic.SAFETY: [
        ("电动自行车交通安全", "1.5", CourseFormat.OFFLINE),
        ("夏季防暑与应急救护", "2.0", CourseFormat.OFFLINE),
        ("锂电池消防安全", "1.5", CourseFormat.OFFLINE),
        ("道路货运安全驾驶", "2.0", CourseFormat.OFFLINE),
        ("网络安全与个人信息保护", "1.5", CourseFormat.ONLINE),
    ],
}
CLASS_KINDS = (
    "党员骨干培训班",
    "入党积极分子培训班",
    "职业技能提升班",
    "权益保障专题班",
    "安全生产专题班",
    "“四新”专题研修班",
    "新就业群体党校主体班",
)
SITE_NAMES = {
    SiteKind.RED_EDUCATION_BASE: ("红色教育基地", 30),
    SiteKind.DEMONSTRATION_SITE: ("新就业群体党建示范点", 80),
    SiteKind.COMMUNITY_CENTER: ("党群服务中心", 70),
    SiteKind.STATION: ("红色驿站学习点", 40),
}
PACKS = (
    ("理论学习资源包", CourseTopic.POLITICAL_THEORY),
    ("“四新”知识资源包", CourseTopic.FOUR_NEW),
    ("骑手职业技能资源包", CourseTopic.VOCATIONAL_SKILLS),
    ("司机职业技能资源包", CourseTopic.VOCATIONAL_SKILLS),
    ("主播能力提升资源包", CourseTopic.VOCATIONAL_SKILLS),
    ("权益维护资源包", CourseTopic.RIGHTS_AND_LAW),
    ("法律常识资源包", CourseTopic.RIGHTS_AND_LAW),
    ("安全出行资源包", CourseTopic.SAFETY),
)
SAYS = (
    (OutreachKind.COURIER_SAYS, "小哥说", ("food_delivery", "express"), 0.4),
    (OutreachKind.DRIVER_SAYS, "司机说", ("freight", "ride_hailing"), 0.34),
    (OutreachKind.STREAMER_SAYS, "主播说", ("live_streaming",), 0.26),
)
SAYS_TOPICS = ("我的党员故事", "身边的榜样", "安全出行", "奋斗者说", "暖心服务")
LECTURE_THEMES = (
    "党的创新理论进站点",
    "学习贯彻党的二十大精神",
    "新就业群体权益保障政策宣讲",
    "“两新”党建政策宣讲",
    "交通安全进站点",
    "平安常州宣讲",
    "社会保险政策宣讲",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文斌辉鹏宇浩凯健俊帆晨"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


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


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _day_in_year(rng: random.Random, year: int, last: dt.date) -> dt.date:
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((last - start).days + 1))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


def _codes(rng: random.Random, n: int) -> list[str]:
    taken = set(Session.objects.values_list("check_in_code", flat=True))
    out: list[str] = []
    while len(out) < n:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            out.append(code)
    return out


def _catalogue(actor: Any) -> tuple[list[Lecturer], list[Course]]:
    departments = {d.code: d for d in Department.objects.all()}
    lecturers = [
        services.lecturer_create(
            actor=actor,
            data={"name": name, "kind": LecturerKind.PARTY_SCHOOL, "title": title},
        )
        for name, title in TEACHERS
    ]
    for name, dept, title in BACKBONE:
        lecturers.append(
            services.lecturer_create(
                actor=actor,
                data={
                    "name": name,
                    "kind": LecturerKind.BACKBONE,
                    "department": departments.get(dept),
                    "title": title,
                },
            )
        )
    industries = list(Industry.objects.order_by("sort_order", "code"))
    by_code = {i.code: i for i in industries}
    teachers, backbone = lecturers[:5], lecturers[5:]
    courses = []
    for n, (topic, rows) in enumerate(COURSES.items()):
        for k, (title, hours, fmt) in enumerate(rows):
            pool = teachers if topic in (CourseTopic.POLITICAL_THEORY,) else backbone
            chosen = [pool[(n * 3 + k) % len(pool)], pool[(n * 3 + k + 1) % len(pool)]]
            audience = [i for i in industries if i.code in title_industries(title)] or list(
                by_code.values()
            )
            courses.append(
                services.course_create(
                    actor=actor,
                    data={
                        "title": title,
                        "topic": topic,
                        "format": fmt,
                        "hours": Decimal(hours),
                        "description": f"{title}（新就业群体党校课程菜单）",
                        "lecturers": chosen,
                        "industries": audience,
                    },
                )
            )
    return lecturers, courses


def title_industries(title: str) -> tuple[str, ...]:
    """The audience a course title names (all industries when it names none)."""
    keys = (
        (("外卖", "骑手", "即时配送", "电动自行车"), "food_delivery"),
        (("快递",), "express"),
        (("货车", "货运", "道路运输"), "freight"),
        (("网约车",), "ride_hailing"),
        (("主播", "直播"), "live_streaming"),
    )
    return tuple(code for words, code in keys if any(w in title for w in words))


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


def _districts() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith="3204"))


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
                speaker_name=org.secretary_name or _name(rng),
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
                    speaker_name=_name(rng),
                    industry=industry,
                    region=rng.choice(districts),
                    held_on=_day_in_year(rng, year, today),
                    place="站点学习角",
                    audience_count=rng.randrange(10, 70),
                )
            )
    OutreachEvent.objects.bulk_create(events, batch_size=2000)


def _sites(rng, n_sites) -> None:
    streets = list(Region.objects.filter(level=RegionLevel.STREET, code__startswith="3204"))
    places = streets or _districts()
    if not places:
        return
    total = sum(n for _name, n in SITE_NAMES.values())
    sites, k = [], 0
    for kind, (suffix, n) in SITE_NAMES.items():
        for j in range(round(n * n_sites / total)):
            region = rng.choice(places)
            k += 1
            sites.append(
                EducationSite(
                    name=f"{region.name}{suffix}" + (f"（{j // len(places) + 1}）" if j else ""),
                    kind=kind,
                    region=region,
                    address=f"{region.name}{rng.randrange(1, 300)}号",
                    vr_url=f"https://vr.example.org/sites/{k:03d}/",
                    description="",
                )
            )
    EducationSite.objects.bulk_create(sites)


def _resources(rng, n_online, today) -> None:
    packs = ResourcePack.objects.bulk_create(
        [ResourcePack(title=title, topic=topic) for title, topic in PACKS]
    )
    kinds = list(ResourceKind.values)
    items = []
    for p, pack in enumerate(packs, start=1):
        for m in range(1, rng.randrange(5, 9)):
            items.append(
                LearningResource(
                    pack=pack,
                    title=f"{pack.title[:-3]}第{m}讲",
                    kind=rng.choice(kinds),
                    url=f"https://learn.example.org/packs/{p}/items/{m}/",
                    minutes=rng.choice((8, 10, 15, 20, 30)),
                    sort_order=m,
                )
            )
    LearningResource.objects.bulk_create(items)
    workers = list(Worker.objects.filter(active=True).values_list("pk", flat=True)[:50_000])
    if not workers:
        return
    rows = []
    for pk in rng.sample(workers, min(n_online, len(workers))):
        for item in rng.sample(items, rng.randrange(1, 5)):
            first = _at(today - dt.timedelta(days=rng.randrange(1, 300)), 20)
            done = rng.random() < 0.6
            rows.append(
                ResourceProgress(
                    worker_id=pk,
                    resource=item,
                    views=rng.randrange(1, 6),
                    first_viewed_at=first,
                    last_viewed_at=first + dt.timedelta(days=rng.randrange(0, 20)),
                    completed_at=first + dt.timedelta(hours=1) if done else None,
                )
            )
    ResourceProgress.objects.bulk_create(rows, batch_size=5000)


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
