"""Every training endpoint through the shared API suites: scoped list and detail (out of
scope answers 404), writes through the services with an audit row, field-level 400s that
write nothing, and a list whose query count does not grow with its rows."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.models import AuditEvent
from tests import factories as f
from tests.base import APICRUDSuite, APIReadOnlySuite, api_client, assert_error_format
from training import services
from training.models import LearningResource, Lecturer, PioneerDesignation, ResourcePack

from .helpers import (
    make_class,
    make_course,
    make_designation,
    make_event,
    make_lecturer,
    make_lesson,
    make_member,
    make_session,
)


class TestLecturersAPI(APICRUDSuite):
    basename = "training-lecturer"
    bad_fields = ("name", "kind")

    def make_visible(self, world):
        return make_lecturer(world)

    def create_payload(self, world):
        return {"name": "赵老师", "kind": "party_school", "title": "党校讲师"}

    def update_payload(self, world):
        return {"title": "党校副教授"}

    def bad_payload(self, world):
        return {"name": "", "kind": "astronaut"}


class TestCoursesAPI(APICRUDSuite):
    basename = "training-course"
    user = "staff"
    bad_fields = ("topic", "hours", "industries")

    def make_visible(self, world):
        return make_course(world, industries=[world.delivery])

    def create_payload(self, world):
        return {
            "title": "电动自行车交通安全",
            "topic": "safety",
            "format": "offline",
            "hours": "1.5",
            "industries": ["food_delivery"],
        }

    def update_payload(self, world):
        return {"hours": "2.0"}

    def bad_payload(self, world):
        return {"title": "x", "topic": "cooking", "hours": "0", "industries": ["no-such"]}


def test_catalogue_is_read_by_everyone_and_changed_by_city_wide_staff_only(world):
    lecturer = make_lecturer(world)
    for username in ("secretary_delivery", "district_officer", "partner"):
        api = api_client(getattr(world, username))
        assert lecturer.pk in {
            r["id"] for r in api.get("/api/v1/training/lecturers/").json()["results"]
        }
    lecturers, events = Lecturer.objects.count(), AuditEvent.objects.count()
    title = lecturer.title
    assert title != "x"
    api = api_client(world.secretary_delivery)
    refused = api.post("/api/v1/training/lecturers/", {"name": "越权", "kind": "backbone"})
    assert refused.status_code in (400, 403)
    api = api_client(world.secretary_delivery)
    assert api.patch(f"/api/v1/training/lecturers/{lecturer.pk}/", {"title": "x"}).status_code in (
        400,
        403,
    )
    # Nothing was created or changed, and nothing was audited.
    assert Lecturer.objects.count() == lecturers
    assert not Lecturer.objects.filter(name="越权").exists()
    assert AuditEvent.objects.count() == events
    lecturer.refresh_from_db()
    assert lecturer.title == title


class TestEducationSitesAPI(APICRUDSuite):
    basename = "training-site"
    bad_fields = ("kind", "region", "vr_url")

    def make_visible(self, world):
        return services.site_create(
            actor=world.staff,
            data={"name": "雕庄党建示范点", "kind": "demonstration_site", "region": world.street_a},
        )

    def create_payload(self, world):
        return {
            "name": "红色教育基地",
            "kind": "red_education_base",
            "region": world.district_a.code,
            "vr_url": "https://vr.example.org/sites/1/",
        }

    def update_payload(self, world):
        return {"vr_url": "https://vr.example.org/sites/2/"}

    def bad_payload(self, world):
        return {"name": "x", "kind": "castle", "region": "999999", "vr_url": "not a link"}


class TestResourcePacksAPI(APICRUDSuite):
    basename = "training-pack"
    bad_fields = ("topic",)

    def make_visible(self, world):
        return services.pack_create(
            actor=world.staff, data={"title": "安全资源包", "topic": "safety"}
        )

    def create_payload(self, world):
        return {"title": "理论资源包", "topic": "political_theory"}

    def update_payload(self, world):
        return {"title": "理论学习资源包"}

    def bad_payload(self, world):
        return {"title": "x", "topic": "cooking"}


class TestLearningResourcesAPI(APICRUDSuite):
    basename = "training-resource"
    bad_fields = ("pack", "url")

    def make_visible(self, world):
        pack = ResourcePack.objects.first() or services.pack_create(
            actor=world.staff, data={"title": "包", "topic": "safety"}
        )
        return services.resource_create(
            actor=world.staff,
            data={
                "pack": pack,
                "title": "第1讲",
                "kind": "video",
                "url": "https://learn.example.org/1",
            },
        )

    def create_payload(self, world):
        pack = ResourcePack.objects.first()
        return {
            "pack": pack.pk,
            "title": "第2讲",
            "kind": "article",
            "url": "https://learn.example.org/2",
        }

    def update_payload(self, world):
        return {"minutes": 25}

    def bad_payload(self, world):
        return {"pack": 999999, "title": "x", "kind": "video", "url": "ftp:/x"}


def test_resources_are_listed_to_a_district_officer(world):
    pack = services.pack_create(actor=world.staff, data={"title": "包", "topic": "safety"})
    item = services.resource_create(
        actor=world.staff,
        data={
            "pack": pack,
            "title": "第1讲",
            "kind": "video",
            "url": "https://learn.example.org/1",
        },
    )
    body = api_client(world.district_officer).get("/api/v1/training/resources/").json()
    assert [r["id"] for r in body["results"]] == [item.pk]
    assert LearningResource.objects.count() == 1


class TestTrainingClassesAPI(APICRUDSuite):
    basename = "training-class"
    user = "secretary_delivery"
    bad_fields = ("organizer", "capacity", "ends_on")

    def make_visible(self, world):
        return make_class(world, world.branch_delivery)

    def make_invisible(self, world):
        return make_class(world, world.committee_express, world.district_b)

    def create_payload(self, world):
        today = timezone.localdate()
        return {
            "name": "外卖骑手入党积极分子培训班",
            "organizer": world.branch_delivery.pk,
            "region": world.district_a.code,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=3)).isoformat(),
            "place": "天宁区党校",
            "capacity": 40,
            "industries": ["food_delivery"],
        }

    def update_payload(self, world):
        return {"name": "外卖骑手党员骨干班", "capacity": 45}

    def bad_payload(self, world):
        today = timezone.localdate()
        return {
            "name": "越界培训班",
            "organizer": world.committee_express.pk,
            "starts_on": today.isoformat(),
            "ends_on": "yesterday",
            "place": "x",
            "capacity": 0,
        }


class TestSessionsAPI(APICRUDSuite):
    basename = "training-session"
    user = "secretary_delivery"
    bad_fields = ("training_class", "starts_at")

    def make_visible(self, world):
        if getattr(self, "_tc", None) is None:
            self._tc = make_class(world, world.branch_delivery)
            self._other = make_class(world, world.committee_express, world.district_b)
        return make_session(world, self._tc, days_ago=1)

    def make_invisible(self, world):
        return make_session(world, make_class(world, world.committee_express, world.district_b))

    def create_payload(self, world):
        starts = timezone.now().replace(microsecond=0)
        return {
            "training_class": self._tc.pk,
            "title": "平台规则与权益",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
        }

    def update_payload(self, world):
        return {"title": "安全出行", "hours": "2.5"}

    def bad_payload(self, world):
        # A class outside the secretary's scope (made before the test counts the writes).
        other = self._other
        return {"training_class": other.pk, "starts_at": "soon", "ends_at": "later"}


class TestPartyLessonsAPI(APICRUDSuite):
    basename = "training-lesson"
    user = "secretary_delivery"
    bad_fields = ("organization", "audience_count")

    def make_visible(self, world):
        return make_lesson(world, world.branch_delivery)

    def make_invisible(self, world):
        return make_lesson(world, world.branch_express)

    def create_payload(self, world):
        member = make_member(world.branch_delivery)
        return {
            "organization": world.branch_delivery.pk,
            "title": "学习党的二十大精神",
            "speaker_name": "张书记",
            "given_on": timezone.localdate().isoformat(),
            "audience_count": 18,
            "attendees": [member.pk],
        }

    def update_payload(self, world):
        return {"audience_count": 25}

    def bad_payload(self, world):
        return {
            "organization": world.branch_express.pk,
            "title": "x",
            "speaker_name": "x",
            "given_on": timezone.localdate().isoformat(),
            "audience_count": -1,
        }


class TestOutreachEventsAPI(APICRUDSuite):
    basename = "training-outreach"
    user = "secretary_delivery"
    bad_fields = ("kind", "organizer", "region")

    def make_visible(self, world):
        return make_event(world)

    def make_invisible(self, world):
        return make_event(world, world.committee_express, world.express, world.district_b)

    def create_payload(self, world):
        return {
            "kind": "courier_says",
            "title": "“小哥说”：我的党员故事",
            "organizer": world.committee_delivery.pk,
            "speaker_name": "张伟",
            "industry": "food_delivery",
            "region": world.district_a.code,
            "held_on": timezone.localdate().isoformat(),
            "audience_count": 35,
        }

    def update_payload(self, world):
        return {"audience_count": 40}

    def bad_payload(self, world):
        return {
            "kind": "karaoke",
            "title": "x",
            "organizer": world.committee_express.pk,
            "speaker_name": "x",
            "region": "000000",
            "held_on": timezone.localdate().isoformat(),
            "audience_count": 3,
        }


class TestDesignationsAPI(APICRUDSuite):
    basename = "training-designation"
    user = "secretary_delivery"
    bad_fields = ("status", "holder")

    def make_visible(self, world):
        return make_designation(
            world,
            make_member(world.branch_delivery),
            world.branch_delivery,
            unit=world.ent_delivery_a,
        )

    def make_invisible(self, world):
        return make_designation(
            world, make_member(world.branch_express), world.branch_express, unit=world.ent_express_a
        )

    def create_payload(self, world):
        return {
            "kind": "red_flag_vehicle",
            "title": "党员红旗车",
            "holder": make_member(world.branch_delivery).pk,
            "organization": world.branch_delivery.pk,
            "plate": "苏d 12345",
            "starts_on": timezone.localdate().isoformat(),
        }

    def update_payload(self, world):
        return {"status": "suspended"}

    def bad_payload(self, world):
        return {
            "kind": "red_flag_vehicle",
            "title": "x",
            "holder": make_member(world.branch_express).pk,
            "organization": world.branch_delivery.pk,
            "plate": "苏D·12345",
            "status": "forever",
            "starts_on": timezone.localdate().isoformat(),
        }


def test_red_flag_vehicle_plate_is_normalized_and_a_live_room_needs_its_account(world):
    api = api_client(world.secretary_delivery)
    member = make_member(world.branch_delivery)
    base = {
        "holder": member.pk,
        "organization": world.branch_delivery.pk,
        "starts_on": timezone.localdate().isoformat(),
    }
    car = api.post(
        "/api/v1/training/designations/",
        {**base, "kind": "red_flag_vehicle", "title": "红旗车", "plate": "苏d 12345"},
    )
    assert car.status_code == 201, car.content
    assert car.json()["plate"] == "苏D·12345"
    designations = PioneerDesignation.objects.count()
    assert designations >= 1
    room = api.post(
        "/api/v1/training/designations/",
        {**base, "kind": "red_live_room", "title": "红色直播间", "plate": ""},
    )
    body = assert_error_format(room, 400, "invalid")
    assert {"platform", "account"} <= set(body["fields"])
    bad_plate = api.post(
        "/api/v1/training/designations/",
        {**base, "kind": "red_flag_vehicle", "title": "红旗车", "plate": "ABC"},
    )
    assert "plate" in assert_error_format(bad_plate, 400, "invalid")["fields"]
    assert PioneerDesignation.objects.count() == designations


class TestAttendancesAPI(APIReadOnlySuite):
    basename = "training-attendance"
    user = "secretary_delivery"

    def make_visible(self, world):
        tc = getattr(self, "_tc", None) or make_class(world, world.branch_delivery)
        self._tc = tc
        session = make_session(world, tc)
        worker = f.WorkerFactory(industry=world.delivery, region=world.street_a)
        attendance, _ = services.attendance_check_in(
            actor=world.staff, session=session, worker=worker, code=None, channel="portal"
        )
        return attendance

    def make_invisible(self, world):
        tc = make_class(world, world.committee_express, world.district_b)
        session = make_session(world, tc)
        worker = f.WorkerFactory(industry=world.express, region=world.district_b)
        attendance, _ = services.attendance_check_in(
            actor=world.staff, session=session, worker=worker, code=None, channel="portal"
        )
        return attendance


class TestLearningProgressAPI(APIReadOnlySuite):
    basename = "training-progress"
    user = "partner"

    def _item(self, world):
        item = getattr(self, "_item_obj", None)
        if item is None:
            pack = services.pack_create(actor=world.staff, data={"title": "包", "topic": "safety"})
            item = services.resource_create(
                actor=world.staff,
                data={
                    "pack": pack,
                    "title": "第1讲",
                    "kind": "video",
                    "url": "https://e.example.org/1",
                },
            )
            self._item_obj = item
        return item

    def make_visible(self, world):
        worker = f.WorkerFactory(platform=world.platform, industry=world.delivery)
        return services.resource_view(
            actor=world.partner, resource=self._item(world), worker=worker
        )

    def make_invisible(self, world):
        worker = f.WorkerFactory(industry=world.express, region=world.district_b)
        return services.resource_view(actor=world.staff, resource=self._item(world), worker=worker)


def test_many_to_many_changes_are_in_the_one_audit_row_of_the_write(world):
    from core.choices import AuditAction

    course = make_course(world, industries=[world.delivery])
    created = AuditEvent.objects.get(object_id=str(course.pk), action=AuditAction.CREATE)
    assert created.changes["industries"] == [[], [world.delivery.pk]]
    lecturer = make_lecturer(world)
    answer = api_client(world.staff).patch(
        f"/api/v1/training/courses/{course.pk}/",
        {"lecturers": [lecturer.pk], "industries": ["food_delivery", "express"]},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    (event,) = AuditEvent.objects.filter(object_id=str(course.pk), action=AuditAction.UPDATE)
    assert event.changes["lecturers"] == [[], [lecturer.pk]]
    assert event.changes["industries"] == [
        [world.delivery.pk],
        sorted([world.delivery.pk, world.express.pk]),
    ]
    # Sending the same sets again changes nothing and writes no row.
    api_client(world.staff).patch(
        f"/api/v1/training/courses/{course.pk}/",
        {"lecturers": [lecturer.pk], "industries": ["food_delivery", "express"]},
        format="json",
    )
    assert (
        AuditEvent.objects.filter(object_id=str(course.pk), action=AuditAction.UPDATE).count() == 1
    )
