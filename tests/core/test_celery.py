"""Tasks are sent only after commit, and a real worker executes them (PostgreSQL + Redis run)."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction

from core.choices import JobStatus
from core.models import JobRun
from organizations.choices import CoverageMode
from organizations.models import Enterprise
from organizations.services import coverage_refresh_queue
from organizations.tasks import refresh_coverage_modes
from portal.celery import app
from tests.base import wait_for_job


def test_idempotent_tasks_ack_late_and_reject_on_worker_lost():
    assert refresh_coverage_modes.acks_late is True
    assert refresh_coverage_modes.reject_on_worker_lost is True
    assert "organizations.tasks.refresh_coverage_modes" in app.tasks


def test_beat_schedule_holds_the_nightly_refresh():
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "organizations.tasks.refresh_coverage_modes" in entries


@pytest.mark.django_db(transaction=True)
def test_task_queued_in_rolled_back_transaction_is_never_sent(world):
    with mock.patch.object(refresh_coverage_modes, "apply_async") as send:
        with pytest.raises(RuntimeError), transaction.atomic():
            coverage_refresh_queue(actor=world.staff)
            raise RuntimeError("roll back")
        assert send.call_count == 0
        assert not JobRun.objects.exists()
        coverage_refresh_queue(actor=world.staff)
        assert send.call_count == 1


def test_a_task_runs_end_to_end(world, task_runner):
    # Break a derived value behind the services' back, then let the job repair it.
    Enterprise.objects.filter(pk=world.ent_delivery_a.pk).update(coverage_mode=CoverageMode.NONE)
    job = coverage_refresh_queue(actor=world.staff)  # autocommit: sent at once
    wait_for_job(job, timeout=30)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["enterprises"] == Enterprise.objects.count()
    world.ent_delivery_a.refresh_from_db()
    assert world.ent_delivery_a.coverage_mode == CoverageMode.JOINT
