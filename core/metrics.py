"""Prometheus metrics at ``/metrics``: requests and latencies (django-prometheus middleware),
job durations and failures, and the task queue's length.

Jobs run in Celery workers, other processes than the one scraped, so their figures are read
from the ``JobRun`` rows at scrape time (:class:`JobsCollector`), not counted in memory: every
web process answers the same. The queue length is asked of the broker.

Who may read: signed-in staff (``is_staff``), or a scraper sending
``Authorization: Bearer <METRICS_TOKEN>``, or anyone when ``METRICS_PUBLIC`` is on (for a
network where only the monitoring host reaches the portal). Otherwise 404, so the endpoint does
not advertise itself. With gunicorn's several processes set ``PROMETHEUS_MULTIPROC_DIR`` (an
empty directory) so that request metrics are summed over them.
"""

from __future__ import annotations

import hmac
import os

import prometheus_client
from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponse
from prometheus_client import multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from .choices import JobStatus
from .models import JobRun


class JobsCollector:
    """Job figures from the database: finished jobs by kind and status (counters), their total
    duration (a counter, so ``rate(sum)/rate(count)`` is the mean duration), unfinished jobs and
    the queue length (gauges)."""

    def collect(self):
        finished = CounterMetricFamily(
            "portal_jobs_finished",
            "Jobs finished, by kind and status (failed = the job's failures).",
            labels=["kind", "status"],
        )
        seconds = CounterMetricFamily(
            "portal_job_duration_seconds",
            "Total run time of finished jobs (start to finish), by kind and status.",
            labels=["kind", "status"],
        )
        longest = GaugeMetricFamily(
            "portal_job_duration_max_seconds",
            "Longest run time of a finished job, by kind.",
            labels=["kind"],
        )
        unfinished = GaugeMetricFamily(
            "portal_jobs_unfinished",
            "Jobs queued or running, by kind and status.",
            labels=["kind", "status"],
        )
        totals: dict[tuple[str, str], list[float]] = {}
        for kind, status, started, ended in JobRun.objects.filter(
            status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]
        ).values_list("kind", "status", "started_at", "finished_at"):
            entry = totals.setdefault((kind, status), [0, 0.0, 0.0])
            entry[0] += 1
            if started and ended:
                run = max((ended - started).total_seconds(), 0.0)
                entry[1] += run
                entry[2] = max(entry[2], run)
        longest_by_kind: dict[str, float] = {}
        for (kind, status), (count, total, top) in sorted(totals.items()):
            finished.add_metric([kind, status], count)
            seconds.add_metric([kind, status], total)
            longest_by_kind[kind] = max(longest_by_kind.get(kind, 0.0), top)
        for kind, value in longest_by_kind.items():
            longest.add_metric([kind], value)
        for row in (
            JobRun.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            .values("kind", "status")
            .annotate(n=Count("id"))
            .order_by()
        ):
            unfinished.add_metric([row["kind"], row["status"]], row["n"])
        yield finished
        yield seconds
        yield longest
        yield unfinished

        from .jobs.watchdog import live_workers, queue_length

        length = queue_length()
        if length is not None:
            yield GaugeMetricFamily(
                "portal_task_queue_length", "Tasks waiting in the Celery queue.", value=length
            )
        yield GaugeMetricFamily(
            "portal_celery_workers_alive",
            "Celery workers that noted themselves alive recently.",
            value=len(live_workers()),
        )


def _may_read(request) -> bool:
    if getattr(settings, "METRICS_PUBLIC", False):
        return True
    token = getattr(settings, "METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[len("Bearer ") :].strip(), token)
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def metrics(request):
    if not _may_read(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        base = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(base)
    else:
        base = prometheus_client.REGISTRY
    jobs = prometheus_client.CollectorRegistry(auto_describe=False)
    jobs.register(JobsCollector())
    body = prometheus_client.generate_latest(base) + prometheus_client.generate_latest(jobs)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
