"""Celery application: configuration comes from Django settings (``CELERY_*``).

Besides the apps' ``tasks.py``: the jobs' watchdog (``core.jobs.tasks``), a worker timer that
notes the worker alive for the health page, and the fix that keeps a worker alive when Redis
drops during a task (``core.broker``).
"""

import contextlib
import os

from celery import Celery, bootsteps

from core.broker import patch_kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

patch_kombu_redis()

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["core.jobs"])


class WorkerSignsOfLife(bootsteps.StartStopStep):
    """Every ``JOB_HEARTBEAT_SECONDS`` the worker notes itself alive in the cache (read by
    ``/health/`` and the jobs' watchdog). A cache that is down is skipped (it fails open)."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        self.tref = None
        super().__init__(worker, **kwargs)

    def start(self, worker):
        from django.conf import settings

        interval = float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 30))
        self._beat(worker)
        self.tref = worker.timer.call_repeatedly(interval, self._beat, (worker,), priority=10)

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    @staticmethod
    def _beat(worker):
        from core.jobs.watchdog import note_worker

        # Never let a sign of life take the worker down.
        with contextlib.suppress(Exception):
            note_worker(worker.hostname)


app.steps["worker"].add(WorkerSignsOfLife)
