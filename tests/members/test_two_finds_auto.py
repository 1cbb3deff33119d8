"""The two finds run by themselves: a roster push or a change of a person queues a run after
the commit (debounced), a nightly beat run catches the rest, and staff can run it now."""

from unittest import mock

import pytest
from django.conf import settings

from core.choices import JobStatus
from core.models import JobRun
from members.choices import MatchRule
from members.models import Case, MatchProposal, Worker
from members.services import people as people_services
from members.services.two_finds import JOB_KIND
from members.services.two_finds.auto import two_finds_queue_debounced
from tests.base import api_client
from tests.members.test_intake import worker_row

pytestmark = pytest.mark.django_db
#: Runs that go all the way through need the tasks run in the process (no REDIS_URL).
eager = pytest.mark.skipif(
    not settings.CELERY_TASK_ALWAYS_EAGER, reason="needs eager Celery (no REDIS_URL)"
)

BULK = "/api/v1/workers/bulk/"


def runs():
    return JobRun.objects.filter(kind=JOB_KIND)


def push(user, *rows):
    response = api_client(user).post(BULK, {"source": "meituan", "rows": list(rows)}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@eager
def test_a_pushed_worker_who_is_a_member_is_found_without_the_command(
    world, people, django_capture_on_commit_callbacks
):
    member = people.member_delivery
    row = worker_row(901, name=member.name, id_number=member.id_number)
    with django_capture_on_commit_callbacks(execute=True):
        assert push(world.staff, row)["created"] == 1
    worker = Worker.objects.get(external_id="MT-00901")
    proposal = MatchProposal.objects.get(worker=worker, member=member)
    assert proposal.rule == MatchRule.EXACT_ID
    assert Case.objects.filter(worker=worker, member=member).exists()
    job = runs().get()
    assert job.status == JobStatus.SUCCEEDED and job.created_by is None


@eager
def test_a_burst_of_pushes_makes_one_run_and_one_deferred_run(
    world, people, django_capture_on_commit_callbacks
):
    with mock.patch("members.tasks.two_finds_deferred.apply_async") as deferred:
        for n in (1, 2, 3):
            with django_capture_on_commit_callbacks(execute=True):
                push(world.staff, worker_row(n))
    assert runs().count() == 1
    deferred.assert_called_once()
    assert deferred.call_args.kwargs["countdown"] == settings.TWO_FINDS_DEBOUNCE_SECONDS

    # The deferred run, when the window ends, reads what the burst added after the first run.
    from members.tasks import two_finds_deferred

    two_finds_deferred.apply()
    assert runs().count() == 2


@eager
def test_an_unchanged_push_and_a_dry_run_queue_nothing(
    world, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        push(world.staff, worker_row(1))
    assert runs().count() == 1
    JobRun.objects.filter(kind=JOB_KIND).delete()
    from django.core.cache import cache

    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert push(world.staff, worker_row(1))["unchanged"] == 1
    assert runs().count() == 0


def test_a_queued_run_absorbs_later_requests(world):
    first = two_finds_queue_debounced(actor="test")  # inside the test's transaction: not sent
    assert first is not None and first.status == JobStatus.QUEUED
    assert two_finds_queue_debounced(actor="test", force=True) is None
    assert runs().count() == 1


@eager
def test_a_member_roster_change_queues_a_run(world, people, django_capture_on_commit_callbacks):
    member = people.member_delivery
    with django_capture_on_commit_callbacks(execute=True):
        people_services.member_update(actor=world.staff, member=member, data={"name": "赵磊磊"})
    assert runs().count() == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        people_services.member_update(actor=world.staff, member=member, data={"name": "赵磊磊"})
    assert callbacks == [] and runs().count() == 1  # nothing the matcher reads changed


@eager
def test_the_nightly_run_is_on_the_beat_schedule():
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "members.tasks.two_finds_nightly" in entries
    from members.tasks import two_finds_nightly

    assert two_finds_nightly.apply().get() is not None
    assert runs().count() == 1


def test_staff_run_now_from_the_review_queue_and_see_what_it_found(client, world, people):
    client.force_login(world.staff)
    page = client.get("/members/review/").content.decode()
    assert 'id="two-finds-run-now"' in page
    assert "data-two-finds-status" in page
    answer = client.post("/members/review/run/", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    job = runs().get()
    assert answer.context["job"] == job and 'id="two-finds-job-bar"' in answer.content.decode()
    # Inside the test's transaction the task is not sent: run it as the worker would.
    from members.services.two_finds import two_finds_run

    people.worker_delivery.id_number = people.member_delivery.id_number
    people.worker_delivery.save()
    two_finds_run(job=job)
    progress = client.get(f"/members/review/runs/{job.pk}/")
    assert progress.status_code == 200
    assert 'data-job-status="succeeded"' in progress.content.decode()
    queue = client.get("/members/review/")
    assert queue.context["two_finds"]["last"] == job
    assert queue.context["two_finds"]["found"] >= 1
    home = client.get("/")
    assert home.context["two_finds"]["last"] == job
    assert "data-two-finds-status" in home.content.decode()


def test_only_city_wide_staff_may_run_now(client, world):
    client.force_login(world.district_officer)
    page = client.get("/members/review/")
    if page.status_code == 200:
        assert 'id="two-finds-run-now"' not in page.content.decode()
    assert client.post("/members/review/run/").status_code == 403
    assert runs().count() == 0
