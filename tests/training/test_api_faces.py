"""The partner-facing API: a partner app checks a worker in at a session (the issue's "done
when"), enrolls its riders, records online learning; staff read learning records and the
statistics."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.base import api_client, assert_error_format, ids_of
from training import services
from training.models import Attendance, Enrollment

from .helpers import attend, make_lesson

CHECK_INS = "/api/v1/training/sessions/{}/check-ins/"
ENROLLMENTS = "/api/v1/training/enrollments/"


def test_a_partner_app_checks_a_worker_in_by_code(world, people, training):
    session = training.sessions_d[-1]
    api = api_client(world.partner)
    url = CHECK_INS.format(session.pk)
    first = api.post(url, {"worker": people.worker_delivery.pk, "code": session.check_in_code})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["session"] == session.pk and body["training_class"] == training.class_d.pk
    assert body["worker"] == people.worker_delivery.pk and body["channel"] == "partner_app"
    # The same worker again (a retried request or a double scan): 200, the same attendance.
    again = api.post(
        url,
        {
            "worker_source": people.worker_delivery.source,
            "worker_external_id": people.worker_delivery.external_id,
            "code": session.check_in_code,
            "channel": "qr",
        },
    )
    assert again.status_code == 200, again.content
    assert again.json()["id"] == body["id"]
    assert Attendance.objects.filter(session=session).count() == 1
    # Walked in: the enrollment was created with the check-in.
    enrollment = Enrollment.objects.get(worker=people.worker_delivery)
    assert enrollment.source == "walk_in" and enrollment.submitted_by == world.partner
    # The partner reads back what it submitted, through the scoped lists.
    assert ids_of(api.get("/api/v1/training/attendances/")) == {body["id"]}
    assert ids_of(api.get(ENROLLMENTS)) == {enrollment.pk}


def test_check_in_errors_are_field_errors_and_write_nothing(world, people, training):
    session = training.sessions_d[-1]
    api = api_client(world.partner)
    url = CHECK_INS.format(session.pk)
    wrong = api.post(url, {"worker": people.worker_delivery.pk, "code": "ZZZZZZ"})
    assert "code" in assert_error_format(wrong, 400, "invalid")["fields"]
    # Another platform's worker and an unknown worker get the same answer.
    other = api.post(url, {"worker": people.worker_delivery_b.pk, "code": session.check_in_code})
    unknown = api.post(url, {"worker": 999999, "code": session.check_in_code})
    assert (
        assert_error_format(other, 400)["fields"]["worker"]
        == (assert_error_format(unknown, 400)["fields"]["worker"])
    )
    portal = api.post(
        url,
        {"worker": people.worker_delivery.pk, "code": session.check_in_code, "channel": "portal"},
    )
    assert "channel" in assert_error_format(portal, 400)["fields"]
    missing = api.post(url, {"code": session.check_in_code})
    assert "worker" in assert_error_format(missing, 400)["fields"]
    assert_error_format(api.post(CHECK_INS.format(999999), {"worker": 1, "code": "X"}), 404)
    assert_error_format(api_client().post(url, {"worker": 1, "code": "X"}), (401, 403))
    assert not Attendance.objects.exists() and not Enrollment.objects.exists()


def test_check_in_with_an_api_key(client, world, people, training):
    from core.models import APIKey

    _key, secret = APIKey.objects.create_key(name="美团", user=world.partner)
    session = training.session_e
    worker = f.WorkerFactory(platform=world.platform, industry=world.express)
    response = client.post(
        CHECK_INS.format(session.pk),
        {"worker": worker.pk, "code": session.check_in_code},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {secret}",
    )
    assert response.status_code == 201, response.content
    assert Attendance.objects.get().submitted_by == world.partner


def test_enrollment_api_takes_the_last_seat_then_answers_400_on_the_class(world, training):
    api = api_client(world.staff)
    workers = [f.WorkerFactory(industry=world.delivery) for _ in range(4)]
    for worker in workers[:3]:
        response = api.post(
            ENROLLMENTS, {"training_class": training.class_d.pk, "worker": worker.pk}
        )
        assert response.status_code == 201, response.content
    full = api.post(ENROLLMENTS, {"training_class": training.class_d.pk, "worker": workers[3].pk})
    body = assert_error_format(full, 400, "invalid")
    assert body["fields"]["training_class"]
    duplicate = api.post(
        ENROLLMENTS, {"training_class": training.class_d.pk, "worker": workers[0].pk}
    )
    assert "worker" in assert_error_format(duplicate, 400)["fields"]
    assert Enrollment.objects.filter(training_class=training.class_d).count() == 3
    # Completion is derived: it cannot be written, nor can an enrollment be edited.
    pk = Enrollment.objects.filter(worker=workers[0]).get().pk
    assert api.patch(f"{ENROLLMENTS}{pk}/", {"completed": True}).status_code == 405
    assert api.delete(f"{ENROLLMENTS}{pk}/").status_code == 204


def test_enrollment_api_is_scoped(world, training):
    worker_d = f.WorkerFactory(industry=world.delivery)
    worker_e = f.WorkerFactory(industry=world.express, region=world.district_b)
    mine = services.enrollment_create(
        actor=world.staff, data={"training_class": training.class_d, "worker": worker_d}
    )
    theirs = services.enrollment_create(
        actor=world.staff, data={"training_class": training.class_e, "worker": worker_e}
    )
    api = api_client(world.secretary_delivery)
    assert ids_of(api.get(ENROLLMENTS, {"page_size": 100})) == {mine.pk}
    assert_error_format(api.get(f"{ENROLLMENTS}{theirs.pk}/"), 404, "not_found")
    assert_error_format(api.delete(f"{ENROLLMENTS}{theirs.pk}/"), 404, "not_found")
    with CaptureQueriesContext(connection) as few:
        api.get(ENROLLMENTS)
    for _ in range(2):  # class D's last two places
        services.enrollment_create(
            actor=world.staff,
            data={"training_class": training.class_d, "worker": f.WorkerFactory()},
        )
    with CaptureQueriesContext(connection) as many:
        assert len(ids_of(api.get(ENROLLMENTS))) == 3
    assert len(many.captured_queries) == len(few.captured_queries)


def test_online_learning_through_the_api(world, people):
    pack = services.pack_create(actor=world.staff, data={"title": "包", "topic": "safety"})
    item = services.resource_create(
        actor=world.staff,
        data={"pack": pack, "title": "第1讲", "kind": "video", "url": "https://e.example.org/1"},
    )
    api = api_client(world.partner)
    base = f"/api/v1/training/resources/{item.pk}/"
    worker = {"worker": people.worker_delivery.pk}
    assert api.post(f"{base}views/", worker).json()["views"] == 1
    assert api.post(f"{base}views/", worker).json()["views"] == 2
    done = api.post(f"{base}completions/", worker)
    assert done.status_code == 201 and done.json()["completed"] is True
    again = api.post(f"{base}completions/", worker)
    assert again.status_code == 200
    assert again.json()["completed_at"] == done.json()["completed_at"]
    other = api.post(f"{base}completions/", {"worker": people.worker_express.pk})
    assert "worker" in assert_error_format(other, 400)["fields"]


def _record_fixture(world, people, training):
    """The delivery rider attends 4 of class D's 5 sessions (completed), opens two resources and
    completes one; the member they were identified as attended one party lesson."""
    from members.models import Case

    worker = people.worker_delivery
    services.enrollment_create(
        actor=world.staff, data={"training_class": training.class_d, "worker": worker}
    )
    attend(world, worker, training.sessions_d[1:])
    pack = services.pack_create(actor=world.staff, data={"title": "包", "topic": "safety"})
    items = [
        services.resource_create(
            actor=world.staff,
            data={
                "pack": pack,
                "title": f"第{n}讲",
                "kind": "video",
                "url": f"https://e.example.org/{n}",
            },
        )
        for n in (1, 2)
    ]
    services.resource_view(actor=world.staff, resource=items[0], worker=worker)
    services.resource_complete(actor=world.staff, resource=items[1], worker=worker)
    Case.objects.create(
        origin="matching", status="assigned", worker=worker, member=people.member_delivery
    )
    lesson = make_lesson(world, world.branch_delivery)
    lesson.attendees.add(people.member_delivery)
    make_lesson(world, world.branch_delivery)  # not attended by them
    return worker


def test_learning_records_api(world, people, training):
    worker = _record_fixture(world, people, training)
    url = f"/api/v1/training/records/workers/{worker.pk}/"
    body = api_client(world.secretary_delivery).get(url).json()
    assert (body["classes"], body["classes_completed"], body["sessions"]) == (1, 1, 4)
    assert body["hours"] == "8.0"  # four two-hour sessions
    assert (body["resources_viewed"], body["resources_completed"]) == (2, 1)
    assert body["party_lessons"] == 1
    member = api_client(world.staff).get(
        f"/api/v1/training/records/members/{people.member_delivery.pk}/"
    )
    assert member.json()["sessions"] == 4 and member.json()["party_lessons"] == 1
    # A partner sees its rider's record without the lessons (they would disclose membership).
    partner = api_client(world.partner).get(url).json()
    assert partner["sessions"] == 4 and partner["party_lessons"] == 0 and partner["lessons"] == []
    # Out of scope: 404.
    assert_error_format(api_client(world.secretary_express).get(url), 404)
    assert_error_format(
        api_client(world.partner).get(
            f"/api/v1/training/records/workers/{people.worker_express.pk}/"
        ),
        404,
    )


def test_statistics_api_is_scoped(world, people, training):
    attend(world, people.worker_delivery, training.sessions_d[-2:])
    staff = api_client(world.staff).get("/api/v1/training/statistics/").json()
    assert staff["totals"]["classes"] == 2 and staff["totals"]["sessions"] == 6
    assert staff["totals"]["person_times"] == 2
    express = api_client(world.secretary_express).get("/api/v1/training/statistics/").json()
    assert express["totals"]["classes"] == 1 and express["totals"]["person_times"] == 0
    bad = api_client(world.staff).get("/api/v1/training/statistics/", {"year": "soon"})
    assert "year" in assert_error_format(bad, 400)["fields"]
