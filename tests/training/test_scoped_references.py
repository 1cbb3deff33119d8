"""Enrollment and check-in name a worker: the reference resolves through the actor's scope
(issue 20). A class organizer enrolls workers it can see; a partner app checks in its own
workers; "not found" and "not yours" answer alike, by id and by source + external id."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.base import api_client, assert_error_format
from training import services
from training.choices import AttendanceChannel
from training.models import Attendance, Enrollment

CHECK_INS = "/api/v1/training/sessions/{}/check-ins/"
ENROLLMENTS = "/api/v1/training/enrollments/"


def _worker_errors(response):
    return assert_error_format(response, 400, "invalid")["fields"]["worker"]


def test_an_organizer_cannot_enroll_a_worker_outside_its_scope(world, people, training):
    api = api_client(world.secretary_delivery)  # organizer of class D
    cls = training.class_d.pk
    foreign = api.post(ENROLLMENTS, {"training_class": cls, "worker": people.worker_express.pk})
    unknown = api.post(ENROLLMENTS, {"training_class": cls, "worker": 987654321})
    assert _worker_errors(foreign) == _worker_errors(unknown)
    by_ref = api.post(
        ENROLLMENTS,
        {"training_class": cls, "worker_source": "sf-express", "worker_external_id": "SF-0001"},
    )
    no_ref = api.post(
        ENROLLMENTS,
        {"training_class": cls, "worker_source": "sf-express", "worker_external_id": "SF-9999"},
    )
    assert _worker_errors(by_ref) == _worker_errors(no_ref)
    assert not Enrollment.objects.exists()
    mine = api.post(ENROLLMENTS, {"training_class": cls, "worker": people.worker_delivery.pk})
    assert mine.status_code == 201, mine.content


def test_the_enrollment_service_refuses_an_unseen_worker_even_to_the_organizer(
    world, people, training
):
    with pytest.raises(ValidationError) as exc:
        services.enrollment_create(
            actor=world.secretary_delivery,
            data={"training_class": training.class_d, "worker": people.worker_express},
        )
    assert "worker" in exc.value.message_dict
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("user", ["secretary_delivery", "partner"])
def test_check_in_of_an_unseen_worker_answers_like_an_unknown_one(world, people, training, user):
    session = training.sessions_d[-1]
    api = api_client(getattr(world, user))
    url = CHECK_INS.format(session.pk)
    code = session.check_in_code
    foreign = api.post(url, {"worker": people.worker_express.pk, "code": code})
    unknown = api.post(url, {"worker": 987654321, "code": code})
    assert _worker_errors(foreign) == _worker_errors(unknown)
    by_ref = api.post(
        url, {"worker_source": "sf-express", "worker_external_id": "SF-0001", "code": code}
    )
    no_ref = api.post(
        url, {"worker_source": "sf-express", "worker_external_id": "SF-9999", "code": code}
    )
    assert _worker_errors(by_ref) == _worker_errors(no_ref)
    assert not Attendance.objects.exists() and not Enrollment.objects.exists()


def test_the_partner_checks_in_its_own_worker_by_its_roster_reference(world, people, training):
    session = training.sessions_d[-1]
    response = api_client(world.partner).post(
        CHECK_INS.format(session.pk),
        {
            "worker_source": "meituan",
            "worker_external_id": "MT-0001",
            "code": session.check_in_code,
        },
    )
    assert response.status_code == 201, response.content
    assert Attendance.objects.get().worker == people.worker_delivery


def test_the_organizer_records_an_enrolled_worker_from_outside_its_scope(world, people, training):
    """A worker enrolled in the class (here by city staff) may be checked in by the organizer's
    staff at the portal; one not enrolled may not."""
    session = training.sessions_d[-1]
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(
            actor=world.secretary_delivery,
            session=session,
            worker=people.worker_express,
            code=None,
            channel=AttendanceChannel.PORTAL,
        )
    assert "worker" in exc.value.message_dict
    services.enrollment_create(
        actor=world.staff,
        data={"training_class": training.class_d, "worker": people.worker_express},
    )
    attendance, created = services.attendance_check_in(
        actor=world.secretary_delivery,
        session=session,
        worker=people.worker_express,
        code=None,
        channel=AttendanceChannel.PORTAL,
    )
    assert created and attendance.worker == people.worker_express


def test_the_portal_check_in_form_answers_an_unseen_worker_like_an_unknown_one(
    client, world, people, training
):
    from django.urls import reverse

    session = training.sessions_d[-1]
    url = reverse("training:session_check_in", args=[session.pk])
    client.force_login(world.secretary_delivery)

    def worker_errors(data):
        response = client.post(url, data)
        assert response.status_code == 200  # the form again, with its errors
        return response.context["form"].errors["worker"]

    assert worker_errors({"worker": people.worker_express.pk}) == worker_errors(
        {"worker": 987654321}
    )
    assert worker_errors(
        {"worker_source": "sf-express", "worker_external_id": "SF-0001"}
    ) == worker_errors({"worker_source": "sf-express", "worker_external_id": "SF-9999"})
    assert not Attendance.objects.exists()
    done = client.post(url, {"worker": people.worker_delivery.pk})
    assert done.status_code == 302
    assert Attendance.objects.get().worker == people.worker_delivery
