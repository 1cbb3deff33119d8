"""``/health/`` for load balancers and monitoring, on django-health-check: the database, the
cache, the broker, a live worker's heartbeat, beat's last run and the migrations applied.

Answers 200 when every check passes and 500 otherwise, as HTML, or as JSON with
``?format=json`` / ``Accept: application/json`` (``{"Database(alias='default')": "OK", ...}``).
Without ``REDIS_URL`` (the embedded default: eager Celery, in-memory cache) the broker, worker and
beat checks pass with nothing to check. A load balancer that only needs "this process can
serve" asks ``/health/?format=json`` and reads the database line, or ``/health/live/``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


def _eager() -> bool:
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of the code is applied to the database."""

    alias: str = "default"

    def run(self):
        executor = MigrationExecutor(connections[self.alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
            raise ServiceUnavailable(f"{len(plan)} migrations not applied: {names}")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker (Redis) answers."""

    def run(self):
        if _eager():
            return
        from celery import current_app

        try:
            with current_app.connection_for_read() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:
            raise ServiceUnavailable(f"broker unreachable: {type(exc).__name__}") from exc


@dataclasses.dataclass
class Worker(HealthCheck):
    """At least one Celery worker noted itself alive within four heartbeats."""

    def run(self):
        if _eager():
            return
        from core.jobs.watchdog import live_workers

        if not live_workers():
            raise ServiceUnavailable("no live Celery worker (no heartbeat in the cache)")


@dataclasses.dataclass
class Beat(HealthCheck):
    """Celery beat ran the jobs' watchdog (every minute) within ``HEALTH_BEAT_MAX_AGE``."""

    def run(self):
        if _eager():
            return
        from core.jobs.watchdog import beat_last_run

        last = beat_last_run()
        limit = dt.timedelta(seconds=getattr(settings, "HEALTH_BEAT_MAX_AGE", 300))
        if last is None:
            raise ServiceUnavailable("beat never ran the watchdog")
        if timezone.now() - last > limit:
            raise ServiceUnavailable(f"beat last ran at {last.isoformat()}")


class PortalHealthView(HealthCheckView):
    checks = (Database, Cache, Migrations, Broker, Worker, Beat)


def live(request):
    """``/health/live/``: the process answers (no dependency checked)."""
    return HttpResponse("OK\n", content_type="text/plain")
