"""Key rotation of protected personal data: re-encrypt every protected value under the first
key of ``PORTAL_PII_KEYS`` and re-compute its blind index, in batches, resumable.

While it runs, reads decrypt under any configured key and :func:`core.pii.protected_lookup`
matches the index under any of them, so the portal keeps working. Each batch is one
transaction that also records its position (the last primary key done, per model) in a
:class:`~core.models.JobRun` of kind ``pii_rotate_keys`` for the encrypting key; a run that
stopped (killed, database gone, ``--max-batches``) continues from there when started again.
When the job has succeeded, the old keys can be dropped from ``PORTAL_PII_KEYS``.
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from core import audit
from core.choices import AuditAction, JobStatus
from core.jobs.services import job_create, job_finish, job_start
from core.models import JobRun
from core.pii import key_fingerprint, protected_fields, set_indexes

KIND = "pii_rotate_keys"
DONE = "done"


class UndecryptableValue(Exception):
    """A stored token that no configured key opens (its key was dropped too early)."""


def protected_models() -> list[type[models.Model]]:
    """Every concrete model with a protected field, in a stable order."""
    found = [
        m
        for m in apps.get_models()
        if not m._meta.abstract and not m._meta.proxy and protected_fields(m)
    ]
    return sorted(found, key=lambda m: m._meta.label)


def open_job(*, actor, batch_size: int) -> tuple[JobRun, bool]:
    """The unfinished rotation job for the current encrypting key, or a new one; ``True`` when
    an unfinished one is resumed."""
    fingerprint = key_fingerprint()
    unfinished = [
        job
        for job in JobRun.objects.filter(
            kind=KIND, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).order_by("-id")
        if job.parameters.get("key") == fingerprint
    ]
    if unfinished:
        return unfinished[0], True
    job = job_create(
        actor=actor, kind=KIND, parameters={"key": fingerprint, "batch_size": batch_size}
    )
    total = sum(m._base_manager.count() for m in protected_models())
    job_start(job, total=total)
    job.result = {"positions": {}, "rows": 0}
    job.save(update_fields=["result"])
    return job, False


def _save_position(job: JobRun, positions: dict, rows: int) -> None:
    job.result = {"positions": positions, "rows": rows}
    JobRun.objects.filter(pk=job.pk).update(
        result=job.result, progress_done=rows, heartbeat_at=timezone.now()
    )


def rotate(
    *,
    actor,
    batch_size: int = 500,
    max_batches: int | None = None,
    report: Callable[[str], None] | None = None,
) -> JobRun:
    """Re-encrypt and re-index up to ``max_batches`` batches (all without it); returns the job
    (``SUCCEEDED`` once every model is done)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    job, resumed = open_job(actor=actor, batch_size=batch_size)
    if resumed and report:
        report(f"Resuming job {job.pk} from {job.result.get('positions', {})}.")
    positions: dict[str, str] = dict(job.result.get("positions", {}))
    rows = int(job.result.get("rows", 0))
    batches = 0
    for model in protected_models():
        label = model._meta.label
        if positions.get(label) == DONE:
            continue
        fields = protected_fields(model)
        names = [f.attname for f in fields] + [f.index_field for f in fields if f.index_field]
        base = model._base_manager.order_by("pk").only("pk", *names)
        while True:
            if max_batches is not None and batches >= max_batches:
                return job
            last = positions.get(label)
            query = base.filter(pk__gt=last) if last is not None else base
            with transaction.atomic():
                try:
                    batch = list(query.select_for_update()[:batch_size])
                except InvalidToken:
                    raise UndecryptableValue(
                        f"A {label} value after primary key {last} opens with no key of "
                        "PORTAL_PII_KEYS: put its old key back in the list and run again."
                    ) from None
                if not batch:
                    positions[label] = DONE
                    _save_position(job, positions, rows)
                    break
                for obj in batch:
                    set_indexes(obj)
                # bulk_update writes each value through get_prep_value: a fresh token under
                # the first key; set_indexes gave the first key's index.
                model._base_manager.bulk_update(batch, names)
                rows += len(batch)
                positions[label] = str(batch[-1].pk)
                _save_position(job, positions, rows)
            batches += 1
            if report:
                report(f"{label}: {rows} rows re-encrypted (up to id {positions[label]}).")
    with transaction.atomic():
        job_finish(job, result={"positions": positions, "rows": rows})
        audit.record(
            actor=actor,
            action=AuditAction.OTHER,
            obj=job,
            verb="rotate PII keys",
            changes={"rows": [None, rows]},
        )
    return job
