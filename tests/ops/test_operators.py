"""What operators see: /health/, /metrics, JSON logs with the request id, and commands that
fail with one line saying what happened and what to do."""

from __future__ import annotations

import json
import logging
from unittest import mock

import pytest
from django.core.management import call_command, load_command_class
from django.db import OperationalError
from django.urls import reverse

from core.jobs import job_create, job_fail, job_finish
from core.logging import RequestIdFilter
from core.models import AuditEvent
from members.models import Worker
from members.services.intake import engine

pytestmark = pytest.mark.django_db


# --- health ------------------------------------------------------------------------------------


def test_health_reports_every_dependency(client):
    from core.jobs.watchdog import note_beat, note_worker

    note_worker("drill@test")  # what a live worker and beat note (no-ops to check when eager)
    note_beat()
    response = client.get("/health/?format=json")
    assert response.status_code == 200, response.content
    checks = " ".join(response.json())
    for name in ("Database", "Cache", "Migrations", "Broker", "Worker", "Beat"):
        assert name in checks
    assert set(response.json().values()) == {"OK"}


def test_health_fails_when_a_migration_is_missing(client):
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        return_value=[(mock.Mock(app_label="core", name="0099_future"), False)],
    ):
        response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert any("not applied" in value for value in response.json().values())


def test_health_fails_without_a_live_worker_or_beat(client, settings):
    from celery import current_app

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    try:
        with (
            mock.patch("core.jobs.watchdog.live_workers", return_value={}),
            mock.patch("core.jobs.watchdog.beat_last_run", return_value=None),
            mock.patch("core.health.Broker.run", return_value=None),
        ):
            response = client.get("/health/?format=json")
    finally:
        current_app.conf.task_always_eager = eager
    assert response.status_code == 500
    errors = {k: v for k, v in response.json().items() if v != "OK"}
    assert any("Worker" in k for k in errors) and any("Beat" in k for k in errors)


# --- metrics -----------------------------------------------------------------------------------


def test_metrics_are_for_staff_or_the_scraper_only(client, world, settings):
    assert client.get("/metrics").status_code == 404
    client.force_login(world.partner)
    assert client.get("/metrics").status_code == 404
    client.force_login(world.staff)
    world.staff.is_staff = True
    world.staff.save()
    assert client.get("/metrics").status_code == 200
    client.logout()
    settings.METRICS_TOKEN = "s3cret-scraper-token"
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scraper-token"})
    assert ok.status_code == 200


def test_metrics_count_requests_and_job_durations_and_failures(client, world, settings):
    settings.METRICS_PUBLIC = True
    done = job_create(actor=world.staff, kind="coverage.rollup_day")
    from django.utils import timezone

    done.started_at = timezone.now() - timezone.timedelta(seconds=42)
    done.save()
    job_finish(done, result={})
    job_fail(job_create(actor=world.staff, kind="two_finds"), error="boom")
    job_create(actor=world.staff, kind="two_finds")  # queued
    client.get(reverse("login"))
    body = client.get("/metrics").content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in body
    assert "django_http_requests_latency_seconds_by_view_method" in body
    assert 'portal_jobs_finished_total{kind="two_finds",status="failed"} 1.0' in body
    assert 'portal_jobs_unfinished{kind="two_finds",status="queued"} 1.0' in body
    line = next(
        ln
        for ln in body.splitlines()
        if ln.startswith('portal_job_duration_seconds_total{kind="coverage.rollup_day"')
    )
    assert 41 < float(line.split()[-1]) < 60
    assert "portal_task_queue_length" in body


# --- logs and the request id ---------------------------------------------------------------------


def test_the_request_id_is_ours_not_the_clients(client, world):
    client.force_login(world.staff)
    chosen = "attacker-chosen-id-0001"
    response = client.post(
        "/api/v1/enterprises/", {}, content_type="application/json", HTTP_X_REQUEST_ID=chosen
    )
    assert response["X-Request-ID"] != chosen
    assert response.json()["request_id"] == response["X-Request-ID"]


def test_json_logs_carry_the_request_id_of_the_audit_events(client, world, people):
    from pythonjsonlogger.json import JsonFormatter

    from core.context import request_context

    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    log = logging.getLogger("portal.test")
    log.addHandler(handler)
    try:
        from organizations.services import enterprise_update

        with request_context() as rid:
            enterprise_update(
                actor=world.staff,
                enterprise=world.ent_delivery_b,
                data={"name": "钟楼外卖站（新）"},
            )
            log.warning("renamed")
    finally:
        log.removeHandler(handler)
    line = json.loads(formatter.format(records[0]))
    assert line["request_id"] == rid
    assert line["level"] == "WARNING" and line["logger"] == "portal.test"
    assert AuditEvent.objects.filter(request_id=rid).exists()


def test_production_logs_are_json():
    from django.conf import settings

    assert settings.LOGGING["formatters"]["json"]["()"] == "pythonjsonlogger.json.JsonFormatter"
    handler = settings.LOGGING["handlers"]["console"]
    assert "request_id" in handler["filters"]


# --- commands ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # a command runs in autocommit
def test_a_database_failure_mid_import_says_what_was_kept_in_one_line(tmp_path, world, capsys):
    roster = tmp_path / "roster.csv"
    header = "external_id,name,id_number,phone,industry,enterprise_uscc,region_code,"
    header += "political_status,work_lat,work_lng\n"
    roster.write_text(
        header
        + "MT-1,张伟,,,food_delivery,,320402,masses,,\n"
        + "MT-2,王芳,,,food_delivery,,320402,masses,,\n",
        encoding="utf-8",
    )
    lost = OperationalError("server closed the connection unexpectedly\n\tThis probably means")
    command = load_command_class("members", "import_workers")
    with (
        mock.patch.object(engine, "write_chunk", side_effect=lost),
        pytest.raises(SystemExit) as stopped,
    ):
        command.run_from_argv(["manage.py", "import_workers", str(roster), "--source", "mt"])
    assert stopped.value.code == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "server closed the connection unexpectedly" in err
    assert "the rest was not" in err and "again" in err
    assert not Worker.objects.exists()
    # The hint is true: the same file imports cleanly on a second run.
    call_command("import_workers", str(roster), "--source", "mt", stdout=mock.Mock())
    assert Worker.objects.count() == 2
