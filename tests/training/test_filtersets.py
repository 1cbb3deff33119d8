"""One test per filter of every training FilterSet (the API and the portal share them)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests import factories as f
from tests.base import FilterSetSuite
from training import filtersets as fs
from training import services
from training.api import views as api_views
from training.models import Attendance, Enrollment
from training.views import activities, catalogue, classes

from .helpers import make_class, make_course, make_designation, make_lecturer, make_member

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


def test_the_api_and_the_portal_use_the_models_filtersets():
    pairs = [
        (api_views.LecturerViewSet, catalogue.LecturerListView, fs.LecturerFilterSet),
        (api_views.CourseViewSet, catalogue.CourseListView, fs.CourseFilterSet),
        (api_views.EducationSiteViewSet, catalogue.SiteListView, fs.EducationSiteFilterSet),
        (
            api_views.LearningResourceViewSet,
            catalogue.ResourceListView,
            fs.LearningResourceFilterSet,
        ),
        (api_views.TrainingClassViewSet, classes.ClassListView, fs.TrainingClassFilterSet),
        (api_views.PartyLessonViewSet, activities.LessonListView, fs.PartyLessonFilterSet),
        (api_views.OutreachEventViewSet, activities.OutreachListView, fs.OutreachEventFilterSet),
        (
            api_views.PioneerDesignationViewSet,
            activities.DesignationListView,
            fs.PioneerDesignationFilterSet,
        ),
    ]
    for api_view, page, filterset in pairs:
        assert api_view.filterset_class is filterset
        assert page.filterset_class is filterset


def _session(world, training_class, *, days_ago: float, **extra):
    starts = timezone.now() - dt.timedelta(days=days_ago)
    return services.session_create(
        actor=world.staff,
        data={
            "training_class": training_class,
            "title": "第一讲",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=2),
            **extra,
        },
    )


def _resource(world, pack, title: str, kind: str = "video"):
    return services.resource_create(
        actor=world.staff,
        data={"pack": pack, "title": title, "kind": kind, "url": "https://learn.example.org/1"},
    )


def _pack(world, topic: str = "safety", **extra):
    return services.pack_create(
        actor=world.staff, data={"title": "资源包", "topic": topic, **extra}
    )


class TestLecturerFilterSet(FilterSetSuite):
    filterset = fs.LecturerFilterSet
    cases = {
        "q": ({"q": "教授"}, {"a"}),
        "kind": ({"kind": "party_school"}, {"a"}),
        "department": ({"department": "dept-filter"}, {"a"}),
        "active": ({"active": "false"}, {"b"}),
    }

    def make(self, world):
        department = f.DepartmentFactory(code="dept-filter")
        return {
            "a": make_lecturer(world, kind="party_school", title="教授", department=department),
            "b": make_lecturer(world, active=False),
        }


class TestCourseFilterSet(FilterSetSuite):
    filterset = fs.CourseFilterSet
    cases = {
        "q": ({"q": "理论学习"}, {"a"}),
        "topic": ({"topic": "political_theory"}, {"a"}),
        "format": ({"format": "online"}, {"a"}),
        "industry": ({"industry": "food_delivery"}, {"a"}),
        "active": ({"active": "false"}, {"b"}),
    }

    def make(self, world):
        return {
            "a": make_course(
                world,
                topic="political_theory",
                format="online",
                description="理论学习",
                industries=[world.delivery],
            ),
            "b": make_course(world, format="offline", active=False, industries=[world.express]),
        }


class TestEducationSiteFilterSet(FilterSetSuite):
    filterset = fs.EducationSiteFilterSet
    cases = {
        "q": ({"q": "雕庄"}, {"a"}),
        "kind": ({"kind": "red_education_base"}, {"b"}),
        "region": ({"region": "320402"}, {"a"}),
        "active": ({"active": "false"}, {"b"}),
    }

    def make(self, world):
        def site(**data):
            return services.site_create(actor=world.staff, data=data)

        return {
            "a": site(name="雕庄党建示范点", kind="demonstration_site", region=world.street_a),
            "b": site(
                name="红色教育基地",
                kind="red_education_base",
                region=world.district_b,
                active=False,
            ),
        }


class TestResourcePackFilterSet(FilterSetSuite):
    filterset = fs.ResourcePackFilterSet
    cases = {
        "topic": ({"topic": "safety"}, {"a"}),
        "active": ({"active": "false"}, {"b"}),
    }

    def make(self, world):
        return {"a": _pack(world), "b": _pack(world, "political_theory", active=False)}


class TestLearningResourceFilterSet(FilterSetSuite):
    filterset = fs.LearningResourceFilterSet
    cases = {
        "q": ({"q": "安全骑行"}, {"a"}),
        "kind": ({"kind": "article"}, {"b"}),
        "pack": (lambda world, o: {"pack": o["b"].pack_id}, {"b"}),
    }

    def make(self, world):
        return {
            "a": _resource(world, _pack(world), "安全骑行第1讲"),
            "b": _resource(world, _pack(world), "理论学习", kind="article"),
        }


class TestTrainingClassFilterSet(FilterSetSuite):
    filterset = fs.TrainingClassFilterSet
    cases = {
        "q": ({"q": "雕庄"}, {"a"}),
        "organizer": (lambda world, o: {"organizer": world.committee_express.pk}, {"b"}),
        "region": ({"region": "320404"}, {"b"}),
        "status": ({"status": "finished"}, {"b"}),
        "year": ({"year": LAST_YEAR}, {"b"}),
        "course": (lambda world, o: {"course": o["a"].courses.get().pk}, {"a"}),
    }

    def make(self, world):
        return {
            "a": make_class(
                world,
                world.branch_delivery,
                place="雕庄党群服务中心",
                starts_on=dt.date(TODAY.year, 1, 1),
                courses=[make_course(world)],
            ),
            "b": make_class(
                world,
                world.committee_express,
                world.district_b,
                status="finished",
                starts_on=dt.date(LAST_YEAR, 3, 1),
                ends_on=dt.date(LAST_YEAR, 3, 5),
            ),
        }


class TestSessionFilterSet(FilterSetSuite):
    filterset = fs.SessionFilterSet
    cases = {
        "training_class": (lambda world, o: {"training_class": o["b"].training_class_id}, {"b"}),
        "course": (lambda world, o: {"course": o["a"].course_id}, {"a"}),
        "lecturer": (lambda world, o: {"lecturer": o["a"].lecturer_id}, {"a"}),
        "starts_after": ({"starts_after": TODAY - dt.timedelta(days=1)}, {"b"}),
        "starts_before": ({"starts_before": TODAY - dt.timedelta(days=2)}, {"a"}),
    }

    def make(self, world):
        a = _session(
            world,
            make_class(world),
            days_ago=3,
            course=make_course(world),
            lecturer=make_lecturer(world),
        )
        return {"a": a, "b": _session(world, make_class(world), days_ago=-1)}


class TestEnrollmentFilterSet(FilterSetSuite):
    filterset = fs.EnrollmentFilterSet
    cases = {
        "training_class": (lambda world, o: {"training_class": o["b"].training_class_id}, {"b"}),
        "worker": (lambda world, o: {"worker": o["a"].worker_id}, {"a"}),
        "source": ({"source": "walk_in"}, {"b"}),
        "completed": ({"completed": "true"}, {"b"}),
    }

    def make(self, world):
        a = services.enrollment_create(
            actor=world.staff,
            data={"training_class": make_class(world), "worker": f.WorkerFactory()},
        )
        # A worker checking in at a class they are not enrolled in walks in.
        attendance, _ = services.attendance_check_in(
            actor=world.staff,
            session=_session(world, make_class(world), days_ago=0),
            worker=f.WorkerFactory(),
            code=None,
            channel="portal",
        )
        Enrollment.objects.filter(pk=attendance.enrollment_id).update(completed=True)
        return {"a": a, "b": attendance.enrollment}


class TestAttendanceFilterSet(FilterSetSuite):
    filterset = fs.AttendanceFilterSet
    cases = {
        "session": (lambda world, o: {"session": o["a"].session_id}, {"a"}),
        "training_class": (
            lambda world, o: {"training_class": o["b"].session.training_class_id},
            {"b"},
        ),
        "worker": (lambda world, o: {"worker": o["a"].worker_id}, {"a"}),
        "channel": ({"channel": "qr"}, {"b"}),
    }

    def make(self, world):
        found = {}
        for name in ("a", "b"):
            found[name], _ = services.attendance_check_in(
                actor=world.staff,
                session=_session(world, make_class(world), days_ago=0),
                worker=f.WorkerFactory(),
                code=None,
                channel="portal",
            )
        Attendance.objects.filter(pk=found["b"].pk).update(channel="qr")
        return found


class TestPartyLessonFilterSet(FilterSetSuite):
    filterset = fs.PartyLessonFilterSet
    cases = {
        "q": ({"q": "赵书记"}, {"a"}),
        "organization": (lambda world, o: {"organization": world.committee_express.pk}, {"b"}),
        "region": ({"region": "320402"}, {"a"}),
        "year": ({"year": LAST_YEAR}, {"b"}),
    }

    def make(self, world):
        def lesson(organization, speaker, given_on):
            return services.party_lesson_create(
                actor=world.staff,
                data={
                    "organization": organization,
                    "title": "党课",
                    "speaker_name": speaker,
                    "given_on": given_on,
                    "audience_count": 20,
                },
            )

        return {
            "a": lesson(world.branch_delivery, "赵书记", TODAY),
            "b": lesson(world.committee_express, "钱书记", dt.date(LAST_YEAR, 6, 1)),
        }


class TestOutreachEventFilterSet(FilterSetSuite):
    filterset = fs.OutreachEventFilterSet
    cases = {
        "q": ({"q": "安全宣讲"}, {"a"}),
        "kind": ({"kind": "courier_says"}, {"b"}),
        "industry": ({"industry": "express"}, {"b"}),
        "region": ({"region": "320402"}, {"a"}),
        "year": ({"year": LAST_YEAR}, {"b"}),
    }

    def make(self, world):
        def event(**data):
            return services.outreach_event_create(
                actor=world.staff, data={"speaker_name": "李讲师", "audience_count": 30, **data}
            )

        return {
            "a": event(
                kind="touring_lecture",
                title="外卖骑手安全宣讲",
                organizer=world.committee_delivery,
                industry=world.delivery,
                region=world.district_a,
                held_on=TODAY,
            ),
            "b": event(
                kind="courier_says",
                title="小哥说",
                organizer=world.committee_express,
                industry=world.express,
                region=world.district_b,
                held_on=dt.date(LAST_YEAR, 6, 1),
            ),
        }


class TestPioneerDesignationFilterSet(FilterSetSuite):
    filterset = fs.PioneerDesignationFilterSet
    cases = {
        "q": ({"q": "12345"}, {"b"}),
        "kind": ({"kind": "red_flag_vehicle"}, {"b"}),
        "status": ({"status": "suspended"}, {"a"}),
        "organization": (lambda world, o: {"organization": world.branch_express.pk}, {"b"}),
    }

    def make(self, world):
        return {
            "a": make_designation(
                world, make_member(world.branch_delivery), world.branch_delivery, status="suspended"
            ),
            "b": make_designation(
                world,
                make_member(world.branch_express),
                world.branch_express,
                kind="red_flag_vehicle",
                title="党员红旗车",
                plate="苏D·12345",
            ),
        }


class TestResourceProgressFilterSet(FilterSetSuite):
    filterset = fs.ResourceProgressFilterSet
    cases = {
        "worker": (lambda world, o: {"worker": o["a"].worker_id}, {"a"}),
        "resource": (lambda world, o: {"resource": o["b"].resource_id}, {"b"}),
        "completed": ({"completed": "true"}, {"b"}),
    }

    def make(self, world):
        pack = _pack(world)
        a = services.resource_view(
            actor=world.staff, resource=_resource(world, pack, "第1讲"), worker=f.WorkerFactory()
        )
        b, _ = services.resource_complete(
            actor=world.staff, resource=_resource(world, pack, "第2讲"), worker=f.WorkerFactory()
        )
        return {"a": a, "b": b}
