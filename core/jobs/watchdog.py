"""The jobs' watchdog (a beat task every minute) and the signs of life operators look at.

A job is *stale* when nothing showed it alive (queued, started, progress, heartbeat, or the
watchdog's last re-send) for ``JOB_STALE_SECONDS``. A stale job is left alone while its turn may
simply not have come (messages wait in the queue and a worker is alive). Otherwise its worker
vanished, or its message was lost with a Redis that restarted without persistence: the watchdog
sends its task again (the task takes the job over; a two-finds coordinator re-dispatches the
chunks not done), at most ``JOB_MAX_ATTEMPTS`` times, then fails it with a message that says so.

Workers note themselves alive in the cache (:func:`note_worker`, from a worker timer set up in
``portal/celery.py``); beat's runs of the watchdog note beat alive (:func:`note_beat`). The
health page (:mod:`core.health`) reads both.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import JobStatus
from ..models import JobRun
from . import services

logger = logging.getLogger("core.jobs")

BEAT_KEY = "ops:beat:last-run"
WORKER_KEY_PREFIX = "ops:worker:"
WORKERS_KEY = "ops:workers"


def max_attempts() -> int:
    return int(getattr(settings, "JOB_MAX_ATTEMPTS", 3))


# --- signs of life ------------------------------------------------------------------------------


def note_beat() -> None:
    cache.set(BEAT_KEY, timezone.now().isoformat(), timeout=None)


def beat_last_run() -> dt.datetime | None:
    value = cache.get(BEAT_KEY)
    return dt.datetime.fromisoformat(value) if value else None


def note_worker(hostname: str | None = None) -> None:
    """A live worker: its name with the time, kept a few heartbeats long."""
    name = hostname or socket.gethostname()
    interval = float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 30))
    cache.set(WORKER_KEY_PREFIX + name, timezone.now().isoformat(), timeout=int(interval * 4))
    names = set(cache.get(WORKERS_KEY) or ())
    if name not in names:
        cache.set(WORKERS_KEY, sorted(names | {name}), timeout=None)


def live_workers() -> dict[str, dt.datetime]:
    """Workers seen alive within four heartbeats."""
    names = cache.get(WORKERS_KEY) or ()
    seen = cache.get_many([WORKER_KEY_PREFIX + n for n in names]) if names else {}
    return {
        key[len(WORKER_KEY_PREFIX) :]: dt.datetime.fromisoformat(value)
        for key, value in seen.items()
        if value
    }


def queue_length() -> int | None:
    """Messages waiting in the default queue; ``None`` when the broker cannot be asked (or
    tasks run eagerly)."""
    from celery import current_app as app

    if app.conf.task_always_eager:
        return 0
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            try:
                declared = conn.default_channel.queue_declare(
                    app.conf.task_default_queue, passive=True
                )
            except conn.channel_errors:  # no such queue yet: nothing was ever sent to it
                return 0
            return int(declared.message_count)
    except Exception as exc:  # the broker is down
        logger.info("queue length unavailable: %r", exc)
        return None


# --- the scan -----------------------------------------------------------------------------------


def _resend(job: JobRun) -> bool:
    from celery import current_app as app

    task = app.tasks.get(job.task_name)
    if task is None:
        return False
    JobRun.objects.filter(pk=job.pk).update(attempt=job.attempt + 1, requeued_at=timezone.now())
    logger.warning(
        "job %s (%s): no sign of life since %s; sending %s again (attempt %s)",
        job.pk,
        job.kind,
        job.last_sign_of_life.isoformat(),
        job.task_name,
        job.attempt + 1,
    )
    return services.send_job_task(task, job.pk)


def _give_up(job: JobRun) -> None:
    since = timezone.localtime(job.last_sign_of_life).strftime("%Y-%m-%d %H:%M:%S")
    if job.status == JobStatus.QUEUED:
        error = _(
            "No worker took this job (queued at %(since)s, sent %(n)s times). Check that a "
            "Celery worker is running, then start the job again."
        ) % {"since": since, "n": job.attempt + 1}
    else:
        error = _(
            "The worker running this job stopped answering (last sign of life %(since)s) and "
            "the job was restarted %(n)s times without success. Nothing half-done was kept as "
            "finished; start the job again once the workers are running."
        ) % {"since": since, "n": job.attempt}
    if services.job_fail_unless_finished(job.pk, error=error):
        logger.error("job %s (%s) failed by the watchdog: %s", job.pk, job.kind, error)


def scan(now: dt.datetime | None = None) -> dict[str, int]:
    """Re-send or fail every stale unfinished job; returns what was done."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=services.stale_seconds())
    candidates = list(
        JobRun.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .filter(Q(requeued_at__isnull=True) | Q(requeued_at__lt=limit))
        .order_by("pk")
    )
    stale = [job for job in candidates if job.last_sign_of_life < limit]
    done = {"stale": len(stale), "resent": 0, "failed": 0, "waiting": 0}
    if not stale:
        return done
    waiting = queue_length()
    if waiting and live_workers():
        # Workers are alive and busy with the queue: these jobs' turn has not come yet.
        done["waiting"] = len(stale)
        return done
    for job in stale:
        if job.attempt < max_attempts() and job.task_name and _resend(job):
            done["resent"] += 1
        else:
            _give_up(job)
            done["failed"] += 1
    return done
