"""The two finds run by themselves: a roster intake or a change of a person queues a run once
its transaction commits, debounced so a burst of pushes makes one run.

:func:`two_finds_request` is what the intake and the people services call. After the commit
it queues a run (``two_finds_queue``, as the system) unless

* a two-finds run is already queued (not started): it fixes its watermark only when it starts,
  so it will read these changes too; or
* a run was queued less than ``TWO_FINDS_DEBOUNCE_SECONDS`` ago (a cache marker taken with
  ``add`` and the job rows both say so): then one deferred task
  (:func:`members.tasks.two_finds_deferred`) is sent to queue a run when the window ends, so a
  change made while a run was already reading is not left for the nightly run.

A run reads every person changed since the last successful run's watermark, so skipping a
request loses nothing. ``TWO_FINDS_AUTO = False`` turns the automatic runs off (the nightly
beat entry and the "run now" button still work).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.choices import JobStatus
from core.models import JobRun


def _job():
    # Imported when used: the intake imports this module and the job imports the intake.
    from . import job

    return job


logger = logging.getLogger(__name__)

#: Who the automatic runs are recorded under (audit ``actor_label``).
AUTO_ACTOR = "two-finds (automatic)"
NIGHTLY_ACTOR = "two-finds (nightly)"
_MARK = "members:two_finds:queued"
_DEFERRED = "members:two_finds:deferred"

DEFAULT_DEBOUNCE_SECONDS = 300


def debounce_seconds() -> int:
    return int(getattr(settings, "TWO_FINDS_DEBOUNCE_SECONDS", DEFAULT_DEBOUNCE_SECONDS))


def _enabled() -> bool:
    return bool(getattr(settings, "TWO_FINDS_AUTO", True))


def _queued_exists() -> bool:
    return JobRun.objects.filter(kind=_job().JOB_KIND, status=JobStatus.QUEUED).exists()


def _recently_queued(window: int) -> bool:
    since = timezone.now() - dt.timedelta(seconds=window)
    return JobRun.objects.filter(Q(kind=_job().JOB_KIND) & Q(created_at__gte=since)).exists()


def two_finds_request() -> None:
    """Ask for a run once the current transaction commits (at once outside one)."""
    if _enabled():
        transaction.on_commit(_request_now)


def _request_now() -> JobRun | None:
    try:
        return two_finds_queue_debounced(actor=AUTO_ACTOR)
    except Exception:  # never let matching's queue break the write that asked for it
        logger.exception("two-finds: could not queue an automatic run")
        return None


def two_finds_queue_debounced(*, actor, force: bool = False) -> JobRun | None:
    """Queue a run unless one is queued, or (unless ``force``) one was queued within the
    debounce window — then make sure one deferred run follows the window. Returns the queued
    job, or ``None`` when the request was folded into another run."""
    if _queued_exists():
        return None
    window = debounce_seconds()
    if not force and window > 0:
        if _recently_queued(window) or not cache.add(_MARK, 1, timeout=window):
            _defer(window)
            return None
    elif window > 0:
        cache.set(_MARK, 1, timeout=window)
    return _job().two_finds_queue(actor=actor)


def _defer(window: int) -> None:
    from ...tasks import two_finds_deferred

    # The marker expires just before the deferred run queues, so a change made after it is
    # never left waiting: it defers a run of its own.
    if cache.add(_DEFERRED, 1, timeout=max(window - 1, 1)):
        two_finds_deferred.apply_async(countdown=window)


def deferred_run() -> JobRun | None:
    """The run a deferred request asked for (the window has ended)."""
    return two_finds_queue_debounced(actor=AUTO_ACTOR, force=True)


def nightly_run() -> JobRun | None:
    """The nightly run (beat): catches whatever the automatic runs missed."""
    if _queued_exists():
        return None
    return _job().two_finds_queue(actor=NIGHTLY_ACTOR)
