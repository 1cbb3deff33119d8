"""The REST face: the shared suites per endpoint, recording steps, the overdue list and the
board's figures, all scoped."""

import itertools

from django.urls import reverse

from core.models import AuditEvent
from recruitment.choices import Stage
from recruitment.models import Candidate, Step

from .. import factories as f
from ..base import APICRUDSuite, APIReadOnlySuite, api_client, assert_error_format
from .conftest import apply, days_ago

_ids = itertools.count(100)


def _candidate(world, organization):
    n = next(_ids)
    actor = world.staff
    return apply(world, actor=actor, id_n=n, organization=organization)


class TestCandidatesAPI(APICRUDSuite):
    basename = "recruitment-candidate"
    user = "secretary_delivery"
    bad_fields = ("id_number", "organization")

    def make_visible(self, world):
        return _candidate(world, world.branch_delivery)

    def make_invisible(self, world):
        return _candidate(world, world.branch_express)

    def create_payload(self, world):
        return {
            "name": "赵六",
            "id_number": f.resident_id_for(next(_ids)),
            "organization": world.branch_delivery.pk,
            "applied_on": days_ago(30).isoformat(),
        }

    def update_payload(self, world):
        return {"name": "赵六六"}

    def bad_payload(self, world):
        return {
            "name": "赵六",
            "id_number": "320402199001011234",
            "organization": 987654321,
            "applied_on": days_ago(30).isoformat(),
        }


class TestStepsAPI(APIReadOnlySuite):
    basename = "recruitment-step"
    user = "secretary_delivery"

    def make_visible(self, world):
        return _candidate(world, world.branch_delivery).steps.get()

    def make_invisible(self, world):
        return _candidate(world, world.branch_express).steps.get()


def _steps_url(candidate):
    return reverse("recruitment-candidate-steps", args=[candidate.pk])


def test_record_a_step_through_the_api(world):
    candidate = _candidate(world, world.branch_delivery)
    client = api_client(world.secretary_delivery)
    response = client.post(_steps_url(candidate), {"step": "talk", "on": days_ago(1).isoformat()})
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    candidate.refresh_from_db()
    assert candidate.last_step == 2


def test_a_refused_step_is_a_field_error_and_writes_nothing(world):
    candidate = _candidate(world, world.branch_delivery)
    client = api_client(world.secretary_delivery)
    before = (Step.objects.count(), AuditEvent.objects.count())
    response = client.post(
        _steps_url(candidate), {"step": "introducers", "on": days_ago(1).isoformat()}
    )
    body = assert_error_format(response, 400, "invalid")
    assert "step" in body["fields"]
    assert (Step.objects.count(), AuditEvent.objects.count()) == before


def test_a_step_for_a_candidate_outside_scope_answers_404(world):
    candidate = _candidate(world, world.branch_express)
    client = api_client(world.secretary_delivery)
    response = client.post(_steps_url(candidate), {"step": "talk", "on": days_ago(1).isoformat()})
    assert_error_format(response, 404, "not_found")
    assert candidate.steps.count() == 1


def test_overdue_and_board_are_scoped(world):
    late = apply(world, actor=world.staff, id_n=301, on=days_ago(60))
    apply(world, actor=world.staff, id_n=302, on=days_ago(60), organization=world.branch_express)
    client = api_client(world.secretary_delivery)
    rows = client.get(reverse("recruitment-overdue")).json()["results"]
    assert [(r["candidate"], r["kind"]) for r in rows] == [(late.pk, "no_talk")]
    board = client.get(reverse("recruitment-board")).json()
    assert board["totals"][Stage.APPLICANT] == 1 and board["total"] == 1
    assert Candidate.objects.count() == 2


def test_partners_do_not_see_the_pipeline_and_district_staff_only_read(world):
    in_b = apply(world, actor=world.staff, id_n=401, region=world.district_b)
    apply(world, actor=world.staff, id_n=402)  # district A
    partner = api_client(world.partner)
    assert_error_format(partner.get(reverse("recruitment-candidate-list")), 403)
    officer = api_client(world.district_officer)
    rows = officer.get(reverse("recruitment-candidate-list")).json()["results"]
    assert [r["id"] for r in rows] == [in_b.pk]
    refused = officer.post(_steps_url(in_b), {"step": "talk", "on": days_ago(1).isoformat()})
    assert_error_format(refused, 403)
    assert in_b.steps.count() == 1
