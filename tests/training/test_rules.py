"""The rules a user relies on: capacity and no duplicate enrollment, idempotent check-in by
code (walk-ins recorded), completion at the class's required share, the catalogue owned by
city-wide staff, lessons and designations validated — each through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from training import services
from training.choices import AttendanceChannel, EnrollmentSource
from training.models import Attendance, Enrollment

from .helpers import make_class, make_member, make_session


def _workers(world, n, **kw):
    kw.setdefault("industry", world.delivery)
    kw.setdefault("region", world.street_a)
    return [f.WorkerFactory(**kw) for _ in range(n)]


def _enroll(world, training_class, worker, actor=None):
    return services.enrollment_create(
        actor=actor or world.staff, data={"training_class": training_class, "worker": worker}
    )


def test_a_full_class_refuses_the_next_enrollment_on_the_class_field(world, training):
    a, b, c, d = _workers(world, 4)
    for w in (a, b, c):
        _enroll(world, training.class_d, w)
    with pytest.raises(ValidationError) as exc:
        _enroll(world, training.class_d, d)
    assert "training_class" in exc.value.message_dict
    assert "3" in exc.value.message_dict["training_class"][0]
    assert Enrollment.objects.filter(training_class=training.class_d).count() == 3


def test_no_duplicate_enrollment(world, training):
    (worker,) = _workers(world, 1)
    _enroll(world, training.class_d, worker)
    with pytest.raises(ValidationError) as exc:
        _enroll(world, training.class_d, worker)
    assert "worker" in exc.value.message_dict
    assert Enrollment.objects.filter(worker=worker).count() == 1


def test_capacity_cannot_drop_below_the_enrollments(world, training):
    for w in _workers(world, 2):
        _enroll(world, training.class_d, w)
    with pytest.raises(ValidationError) as exc:
        services.training_class_update(
            actor=world.staff, training_class=training.class_d, data={"capacity": 1}
        )
    assert "capacity" in exc.value.message_dict
    training.class_d.refresh_from_db()
    assert training.class_d.capacity == 3


def test_a_cancelled_class_takes_no_enrollment(world, training):
    services.training_class_update(
        actor=world.staff, training_class=training.class_e, data={"status": "cancelled"}
    )
    (worker,) = _workers(world, 1, industry=world.express)
    with pytest.raises(ValidationError) as exc:
        _enroll(world, training.class_e, worker)
    assert "training_class" in exc.value.message_dict


def test_a_partner_enrolls_only_its_own_workers(world, people, training):
    enrollment = _enroll(world, training.class_d, people.worker_delivery, actor=world.partner)
    assert enrollment.submitted_by == world.partner
    with pytest.raises(ValidationError) as exc:
        _enroll(world, training.class_d, people.worker_delivery_b, actor=world.partner)
    assert "worker" in exc.value.message_dict


# --- check-in ------------------------------------------------------------------------------


def test_check_in_needs_the_code_and_is_idempotent(world, people, training):
    session = training.sessions_d[-1]
    worker = people.worker_delivery
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(
            actor=world.partner, session=session, worker=worker, code="WRONG1", channel="qr"
        )
    assert "code" in exc.value.message_dict
    first, created = services.attendance_check_in(
        actor=world.partner,
        session=session,
        worker=worker,
        code=session.check_in_code.lower(),  # typed in lower case: still the code
        channel="qr",
    )
    assert created
    again, created_again = services.attendance_check_in(
        actor=world.partner,
        session=session,
        worker=worker,
        code=session.check_in_code,
        channel="qr",
    )
    assert not created_again and again.pk == first.pk
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_walk_in_is_recorded_with_an_enrollment(world, people, training):
    session = training.sessions_d[-1]
    attendance, created = services.attendance_check_in(
        actor=world.staff,
        session=session,
        worker=people.worker_express,
        code=None,
        channel=AttendanceChannel.PORTAL,
    )
    assert created
    assert attendance.enrollment.source == EnrollmentSource.WALK_IN
    assert attendance.enrollment.training_class == training.class_d


def test_only_the_organizers_staff_check_in_without_a_code(world, people, training):
    session = training.sessions_d[-1]
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(
            actor=world.secretary_express,
            session=session,
            worker=people.worker_express,
            code=None,
            channel=AttendanceChannel.PORTAL,
        )
    assert "channel" in exc.value.message_dict
    services.enrollment_create(
        actor=world.staff,
        data={"training_class": training.class_d, "worker": people.worker_express},
    )
    attendance, _ = services.attendance_check_in(
        actor=world.secretary_delivery,
        session=session,
        worker=people.worker_express,  # outside the secretary's scope, but in their class
        code=None,
        channel=AttendanceChannel.PORTAL,
    )
    assert attendance.submitted_by == world.secretary_delivery


def test_check_in_outside_the_session_window_is_refused(world, people, training):
    old = training.sessions_d[0]  # four days ago
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(
            actor=world.partner,
            session=old,
            worker=people.worker_delivery,
            code=old.check_in_code,
            channel="partner_app",
        )
    assert "at" in exc.value.message_dict
    # Within its time, recorded afterwards from a sign-in sheet: accepted.
    attendance, created = services.attendance_check_in(
        actor=world.partner,
        session=old,
        worker=people.worker_delivery,
        code=old.check_in_code,
        channel="partner_app",
        at=old.starts_at + dt.timedelta(minutes=5),
    )
    assert created and attendance.checked_in_at == old.starts_at + dt.timedelta(minutes=5)


# --- completion ----------------------------------------------------------------------------


def test_sessions_needed_is_exact_integer_arithmetic():
    assert services.sessions_needed(total=5, numerator=4, denominator=5) == 4
    assert services.sessions_needed(total=10, numerator=4, denominator=5) == 8
    assert services.sessions_needed(total=6, numerator=4, denominator=5) == 5  # 4.8 → 5
    assert services.sessions_needed(total=3, numerator=2, denominator=3) == 2
    assert services.sessions_needed(total=0, numerator=4, denominator=5) == 0


def _attend(world, session, worker):
    return services.attendance_check_in(
        actor=world.staff,
        session=session,
        worker=worker,
        code=None,
        channel=AttendanceChannel.PORTAL,
        at=session.starts_at + dt.timedelta(minutes=1),
    )[0]


def test_completion_at_the_required_share_and_re_derived_when_sessions_change(
    world, people, training
):
    worker = people.worker_delivery
    enrollment = _enroll(world, training.class_d, worker)
    for session in training.sessions_d[:3]:
        _attend(world, session, worker)
    enrollment.refresh_from_db()
    assert (enrollment.sessions_attended, enrollment.completed) == (3, False)
    fourth = _attend(world, training.sessions_d[3], worker)
    enrollment.refresh_from_db()
    assert enrollment.completed
    assert enrollment.completed_on == timezone.localtime(training.sessions_d[3].starts_at).date()
    # A sixth session: 4/5 of 6 is 5 sessions, so the worker has not completed any more.
    make_session(world, training.class_d, days_ago=0.1)
    enrollment.refresh_from_db()
    assert (enrollment.sessions_attended, enrollment.completed) == (4, False)
    # Lowering the share to 2/3 (4 of 6) completes them again.
    services.training_class_update(
        actor=world.staff,
        training_class=training.class_d,
        data={"required_numerator": 2, "required_denominator": 3},
    )
    enrollment.refresh_from_db()
    assert enrollment.completed
    # Striking an attendance re-derives it.
    services.attendance_delete(actor=world.staff, attendance=fourth)
    enrollment.refresh_from_db()
    assert (enrollment.sessions_attended, enrollment.completed) == (3, False)


def test_the_required_share_cannot_exceed_one(world, training):
    with pytest.raises(ValidationError) as exc:
        services.training_class_update(
            actor=world.staff,
            training_class=training.class_d,
            data={"required_numerator": 6, "required_denominator": 5},
        )
    assert "required_numerator" in exc.value.message_dict


def test_a_session_outside_the_class_dates_is_refused(world, training):
    starts = timezone.now() + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=world.staff,
            data={
                "training_class": training.class_d,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=1),
            },
        )
    assert "starts_at" in exc.value.message_dict


def test_session_hours_default_to_the_course_then_to_the_length(world, training):
    assert training.sessions_d[0].hours == Decimal("2.0")  # the course's
    assert training.session_e.hours == Decimal("2.0")  # two hours long


def test_a_class_needs_a_place_or_a_link(world):
    with pytest.raises(ValidationError) as exc:
        make_class(world, place="")
    assert "place" in exc.value.message_dict


# --- catalogue, lessons, designations, online learning ---------------------------------


def test_the_catalogue_is_changed_by_city_wide_staff_only(world, training):
    with pytest.raises(ValidationError):
        services.course_update(
            actor=world.secretary_delivery, course=training.course, data={"title": "改名"}
        )
    with pytest.raises(ValidationError):
        services.lecturer_create(
            actor=world.district_officer, data={"name": "越权", "kind": "backbone"}
        )


def test_a_secretary_cannot_organize_for_another_committee(world):
    with pytest.raises(ValidationError) as exc:
        services.training_class_create(
            actor=world.secretary_delivery,
            data={
                "name": "越界",
                "organizer": world.committee_express,
                "starts_on": timezone.localdate(),
                "ends_on": timezone.localdate(),
                "place": "x",
                "capacity": 10,
            },
        )
    assert "organizer" in exc.value.message_dict


def test_lesson_attendees_are_in_scope_and_within_the_audience(world, people):
    data = {
        "organization": world.branch_delivery,
        "title": "党课",
        "speaker_name": "王书记",
        "given_on": timezone.localdate(),
        "audience_count": 1,
    }
    with pytest.raises(ValidationError) as exc:
        services.party_lesson_create(
            actor=world.secretary_delivery,
            data={**data, "attendees": [people.member_express]},
        )
    assert "attendees" in exc.value.message_dict
    extra = make_member(world.branch_delivery)
    with pytest.raises(ValidationError) as exc:
        services.party_lesson_create(
            actor=world.secretary_delivery,
            data={**data, "attendees": [people.member_delivery, extra]},
        )
    assert "audience_count" in exc.value.message_dict
    lesson = services.party_lesson_create(
        actor=world.secretary_delivery, data={**data, "attendees": [people.mobile_member]}
    )
    assert list(lesson.attendees.all()) == [people.mobile_member]


def test_a_plate_has_one_active_red_flag_vehicle(world, people):
    data = {
        "kind": "red_flag_vehicle",
        "title": "党员红旗车",
        "holder": people.member_delivery,
        "organization": world.branch_delivery,
        "plate": "苏D·A1234",
        "starts_on": timezone.localdate(),
    }
    services.designation_create(actor=world.staff, data=data)
    with pytest.raises(ValidationError) as exc:
        services.designation_create(actor=world.staff, data={**data, "plate": "苏da1234"})
    assert exc.value.messages


def test_resource_completion_is_idempotent_and_views_are_counted(world, people):
    pack = services.pack_create(actor=world.staff, data={"title": "包", "topic": "safety"})
    item = services.resource_create(
        actor=world.staff,
        data={"pack": pack, "title": "第1讲", "kind": "video", "url": "https://e.example.org/1"},
    )
    worker = people.worker_delivery
    services.resource_view(actor=world.partner, resource=item, worker=worker)
    progress = services.resource_view(actor=world.partner, resource=item, worker=worker)
    assert progress.views == 2 and progress.completed_at is None
    done, created = services.resource_complete(actor=world.partner, resource=item, worker=worker)
    assert created and done.completed_at is not None
    again, created_again = services.resource_complete(
        actor=world.partner, resource=item, worker=worker
    )
    assert not created_again and again.completed_at == done.completed_at
    with pytest.raises(ValidationError) as exc:
        services.resource_view(actor=world.partner, resource=item, worker=people.worker_express)
    assert "worker" in exc.value.message_dict
