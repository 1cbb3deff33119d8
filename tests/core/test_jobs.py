"""Jobs never lie: a refused send fails the job at once, a job whose worker vanished is sent
again or failed by the watchdog, a redelivered two-finds coordinator finishes its job, and the
progress bar stops polling a dead job and says so."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.choices import JobStatus
from core.jobs import ENQUEUE_FAILED, job_create, watchdog
from core.jobs import services as job_services
from core.models import JobRun
from coverage import services as coverage_services
from coverage import tasks as coverage_tasks
from members import tasks as member_tasks
from members.services import two_finds
from portal.celery import app
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """Tasks are sent to a broker that refuses the connection (as kombu reports it)."""
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with mock.patch("celery.app.task.Task.apply_async", side_effect=refused) as send:
            yield send
    finally:
        app.conf.task_always_eager = eager


@pytest.fixture
def eager():
    """Tasks run in this process (also on the PostgreSQL + Redis run, which has no worker
    here): these tests are about what a task does, not about the broker."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _age(job: JobRun, seconds: float) -> None:
    """Make the job's last sign of life ``seconds`` old."""
    then = timezone.now() - dt.timedelta(seconds=seconds)
    JobRun.objects.filter(pk=job.pk).update(created_at=then, started_at=None, heartbeat_at=None)
    if job.status == JobStatus.RUNNING:
        JobRun.objects.filter(pk=job.pk).update(started_at=then, heartbeat_at=then)
    job.refresh_from_db()


# --- a refused send ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # autocommit, as in production: sent at once
def test_a_recompute_whose_send_fails_answers_with_a_failed_job(client, world, broker_down):
    client.force_login(world.staff)
    response = client.post(reverse("portal:coverage_recompute"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    job = JobRun.objects.get(kind="coverage.rollup_day")
    assert job.status == JobStatus.FAILED and job.error == str(ENQUEUE_FAILED)
    assert job.finished_at is not None
    body = response.content.decode()
    assert str(ENQUEUE_FAILED) in body
    assert "hx-trigger" not in body  # the bar does not poll a failed job


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("wait", [[], ["--wait"]])
def test_run_two_finds_reports_a_failed_send_at_once(world, broker_down, wait):
    with pytest.raises(CommandError) as refused:
        call_command("run_two_finds", *wait, stdout=StringIO(), stderr=StringIO())
    assert str(ENQUEUE_FAILED) in str(refused.value)
    assert JobRun.objects.get(kind=two_finds.JOB_KIND).status == JobStatus.FAILED


def test_publishing_gives_up_within_seconds_not_twenty():
    """The policy behind the quick answer: few, short retries and short socket timeouts; job
    tasks ignore results (no result subscription that retried 20 times)."""
    assert settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"] <= 3
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] <= 3
    assert settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["retry_policy"]["max_retries"] <= 3
    for task in (coverage_tasks.rollup_day, member_tasks.run_two_finds):
        assert task.ignore_result is True


def test_the_broker_redelivers_a_lost_chunk_after_the_longest_chunk_not_an_hour():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert app.conf.task_time_limit == settings.JOB_TASK_TIME_LIMIT
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit < visibility < 3600
    # A worker that died inside a restore sweep holds its lock no longer than redelivery waits.
    assert app.conf.broker_transport_options["unacked_mutex_expire"] <= visibility


# --- claiming ----------------------------------------------------------------------------------


def test_only_one_copy_of_a_task_claims_a_job(world):
    job = job_create(actor=world.staff, kind="test")
    assert job_services.job_claim(job) is True
    again = JobRun.objects.get(pk=job.pk)
    assert job_services.job_claim(again) is False  # the first holder is alive
    _age(again, settings.JOB_STALE_SECONDS + 5)
    assert job_services.job_claim(again) is True  # it stopped answering: taken over


def test_a_finished_job_is_never_run_again(
    world, people, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = coverage_services.coverage_rollup_queue(actor=world.staff)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    finished_at = job.finished_at
    coverage_tasks.rollup_day.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.finished_at == finished_at


# --- the watchdog ------------------------------------------------------------------------------


@pytest.fixture
def sent():
    with mock.patch.object(job_services, "send_job_task", return_value=True) as send:
        yield send


def _running(world, *, age: float, task_name: str = "coverage.tasks.rollup_day") -> JobRun:
    job = job_create(actor=world.staff, kind="coverage.rollup_day")
    JobRun.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, task_name=task_name)
    job.refresh_from_db()
    _age(job, age)
    return job


def test_the_watchdog_sends_a_job_whose_worker_vanished_again(world, sent):
    stale = _running(world, age=settings.JOB_STALE_SECONDS + 60)
    alive = _running(world, age=5)
    assert watchdog.scan() == {"stale": 1, "resent": 1, "failed": 0, "waiting": 0}
    assert sent.call_args.args[1] == stale.pk
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert (stale.attempt, stale.status) == (1, JobStatus.RUNNING)
    assert alive.attempt == 0
    # Sent again just now: not sent a second time before another stale period has passed.
    assert watchdog.scan()["resent"] == 0


def test_the_watchdog_fails_a_job_after_the_last_attempt_and_says_why(world, sent):
    job = _running(world, age=settings.JOB_STALE_SECONDS + 60)
    JobRun.objects.filter(pk=job.pk).update(attempt=settings.JOB_MAX_ATTEMPTS)
    assert watchdog.scan()["failed"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    assert "stopped answering" in job.error or "停止" in job.error
    assert job.failure_reason == job.error
    assert sent.call_count == 0


def test_the_watchdog_resends_a_queued_job_whose_message_was_lost(world, sent):
    job = job_create(actor=world.staff, kind="coverage.rollup_day")
    JobRun.objects.filter(pk=job.pk).update(task_name="coverage.tasks.rollup_day")
    _age(job, settings.JOB_STALE_SECONDS + 60)
    assert watchdog.scan()["resent"] == 1


def test_the_watchdog_leaves_jobs_waiting_their_turn(world, sent):
    _running(world, age=settings.JOB_STALE_SECONDS + 60)
    with (
        mock.patch.object(watchdog, "queue_length", return_value=12),
        mock.patch.object(watchdog, "live_workers", return_value={"w1": timezone.now()}),
    ):
        assert watchdog.scan()["waiting"] == 1
    assert sent.call_count == 0


def test_the_watchdog_is_on_beat():
    entries = {e["task"]: e for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["core.jobs.tasks.watchdog"]["schedule"] <= 60
    assert "core.jobs.tasks.watchdog" in app.tasks


# --- the two-finds coordinator -----------------------------------------------------------------


@pytest.fixture
def roster(world, people):
    for n in range(6):
        f.WorkerFactory(industry=world.delivery, region=world.street_a, name=f"骑手{n}")
    f.WorkerFactory(
        name=people.member_delivery.name,
        id_number=people.member_delivery.id_number,
        industry=world.delivery,
        region=world.street_a,
    )


def test_a_coordinator_that_died_after_planning_is_finished_by_its_redelivery(
    world, roster, settings, eager
):
    settings.TWO_FINDS_CHUNK_SIZE = 3
    clean = job_create(actor=world.staff, kind=two_finds.JOB_KIND)
    clean_result = two_finds.two_finds_run(job=clean)
    two_finds_reset()

    job = job_create(actor=world.staff, kind=two_finds.JOB_KIND)
    # The coordinator claimed, planned and recorded its plan, then its worker died.
    assert job_services.job_claim(job)
    plan = two_finds.two_finds_plan(job=job)
    member_tasks._set_parameters(job, plan=[list(r) for r in plan])
    _age(job, settings.JOB_STALE_SECONDS + 5)
    # Its message is redelivered (or the watchdog sends it again): it dispatches and finishes.
    member_tasks.run_two_finds.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.parameters["dispatched_attempt"] == job.attempt
    keys = ("workers_read", "exact", "created", "cases_opened")
    assert {k: job.result[k] for k in keys} == {k: clean_result[k] for k in keys}
    assert job.result["chunks"] == len(plan) >= 2


def test_a_redelivered_coordinator_does_not_dispatch_twice(
    world, roster, settings, eager, django_capture_on_commit_callbacks
):
    settings.TWO_FINDS_CHUNK_SIZE = 3
    with django_capture_on_commit_callbacks(execute=True):
        job = two_finds.two_finds_queue(actor=world.staff)  # eager: runs to the end
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    with mock.patch.object(member_tasks.two_finds_chunk, "s") as chunk:
        JobRun.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
        member_tasks.run_two_finds.apply(args=[job.pk])  # its holder is alive
        assert chunk.call_count == 0


def two_finds_reset():
    """Forget the first run's matches so the second run sees the same work."""
    from members.models import Case, MatchProposal

    Case.objects.all().delete()
    MatchProposal.objects.all().delete()
    # A run reads what changed since the last successful run's watermark: without one, all.
    JobRun.objects.filter(kind=two_finds.JOB_KIND).delete()


# --- the progress bar --------------------------------------------------------------------------


def test_the_progress_bar_stops_polling_a_dead_job_and_says_so(client, world):
    job = _running(world, age=settings.JOB_STALE_SECONDS + 60)
    client.force_login(world.staff)
    body = client.get(reverse("portal:coverage_job", args=[job.pk])).content.decode()
    assert "hx-trigger" not in body and 'data-job-stale="1"' in body
    fresh = _running(world, age=1)
    body = client.get(reverse("portal:coverage_job", args=[fresh.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body


def test_a_program_error_is_not_shown_to_people(world):
    job = job_create(actor=world.staff, kind="coverage.rollup_day")
    job_services.job_fail(job, error="OperationalError('server closed the connection')")
    assert job.failure_reason == ""
