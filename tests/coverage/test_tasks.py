"""The rollup job: nightly on beat, queued only on commit, run by a real worker on Redis."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.choices import JobStatus
from core.models import JobRun
from coverage import services, tasks
from coverage.models import CoverageSnapshot
from portal.celery import app
from tests.base import wait_for_job


def test_the_beat_schedule_holds_the_nightly_rollup():
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "coverage.tasks.rollup_day"
    ]
    assert len(entries) == 1
    assert "coverage.tasks.rollup_day" in app.tasks
    # After the coverage modes are refreshed (01:30), so the snapshot reads fresh modes.
    schedule = entries[0]["schedule"]
    assert schedule.hour == {2} and schedule.minute == {0}


def test_tasks_ack_late_and_reject_on_worker_lost():
    for task in (tasks.rollup_day, tasks.backfill_range):
        assert task.acks_late is True and task.reject_on_worker_lost is True


@pytest.mark.django_db(transaction=True)
def test_a_rollup_queued_in_a_rolled_back_transaction_is_never_sent(world):
    with mock.patch.object(tasks.rollup_day, "apply_async") as send:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.coverage_rollup_queue(actor=world.staff)
            raise RuntimeError("roll back")
        assert send.call_count == 0 and not JobRun.objects.exists()


@pytest.mark.django_db
def test_the_scheduled_run_records_its_own_job(world, people, coverage_data):
    result = tasks.rollup_day.apply().get()
    job = JobRun.objects.get(kind="coverage.rollup_day")
    assert job.status == JobStatus.SUCCEEDED and job.parameters["scheduled"] is True
    assert result["rows"] == CoverageSnapshot.objects.filter(day=timezone.localdate()).count()


def test_the_rollup_runs_on_a_worker(world, people, coverage_data, task_runner):
    job = services.coverage_rollup_queue(actor=world.staff)  # autocommit: sent at once
    wait_for_job(job)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.percent == 100
    city = CoverageSnapshot.objects.get(day=timezone.localdate(), region=world.city, industry=None)
    assert (city.enterprises, city.shuangyou, city.members_placed) == (6, 4, 2)
    assert job.result["rows"] == CoverageSnapshot.objects.count()
