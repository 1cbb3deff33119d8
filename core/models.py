"""Mechanisms shared by every app: the audit trail, job runs, partner API keys and the access log
of protected personal data."""

import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager

from .choices import AuditAction, JobStatus, PIIAction
from .userfields import user_reference

#: ``repr`` of an exception, e.g. ``OperationalError('...')``.
_PROGRAM_ERROR = re.compile(r"^[A-Za-z_][\w.]*\(")


class ImmutableRecordError(ValidationError):
    """An attempt to change or delete a record that is written once (a workflow event)."""


class ImmutableQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs):
        raise ImmutableRecordError(_("These records are never changed."))

    def delete(self):
        raise ImmutableRecordError(_("These records are never deleted."))


class ImmutableRecord(models.Model):
    """A row written once and never changed or deleted: ``save`` refuses an existing row,
    ``delete`` and queryset ``update``/``delete`` always refuse."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(_("These records are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(_("These records are never deleted."))


class AuditEvent(models.Model):
    """One write made through a service: who, what, which fields changed (old → new).

    Protected personal values are never stored in clear: ``changes`` holds a mask for them.
    Every event of one request or job shares ``request_id``.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = user_reference(_("actor"))
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    verb = models.CharField(_("operation"), max_length=64, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_action_display()} {self.object_repr}"


class JobRun(models.Model):
    """A long job (matching, rollups, imports, exports) with progress the portal can show."""

    kind = models.CharField(_("job"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_by = user_reference(_("started by"))
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    #: The Celery task that runs the job (recorded when it is sent), so the watchdog can send
    #: it again; the last sign of life of a worker running it; how often and when the
    #: watchdog sent it again (``core.jobs.watchdog``).
    task_name = models.CharField(_("task"), max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=0)
    requeued_at = models.DateTimeField(_("sent again at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-created_at", "-id"]
        # The watchdog's scan: unfinished jobs by status.
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="core_jobrun_watch")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def last_sign_of_life(self):
        """When a worker last showed this job alive (or when it was queued)."""
        return self.heartbeat_at or self.started_at or self.created_at

    @property
    def stale(self) -> bool:
        """Unfinished without a sign of life for ``JOB_STALE_SECONDS``: its worker vanished or
        it waits behind others; the jobs' watchdog sends it again or fails it."""
        if self.finished or self.last_sign_of_life is None:
            return False
        limit = getattr(settings, "JOB_STALE_SECONDS", 300)
        return (timezone.now() - self.last_sign_of_life).total_seconds() > limit

    @property
    def failure_reason(self) -> str:
        """The error for people: the job machinery's own messages (queue down, worker gone)
        as written; a program error's text (``ValueError(...)``) is left to the logs."""
        if self.status != JobStatus.FAILED or not self.error:
            return ""
        return "" if _PROGRAM_ERROR.match(self.error) else self.error

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))


class APIKeyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Bulk changes (``update(revoked=True)``) send no signal: they too invalidate the
        cached key lookups (``core.authcache``)."""
        from core import authcache

        rows = super().update(**kwargs)
        authcache.bump(using=self.db)
        return rows


class APIKey(AbstractAPIKey):
    """A hashed API key of a partner system; the key acts as its service user and that user's
    scope grants decide what it sees."""

    objects = APIKeyManager.from_queryset(APIKeyQuerySet)()

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service user"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")


class PIIAccessLog(models.Model):
    """One access to protected personal data in clear: a reveal of one value, or an export.

    Written by :func:`core.pii.reveal` and :func:`core.pii.record_export` only; never holds the
    values themselves. A reveal names its object and must give a reason; an export names the
    model (``content_type``), the exported fields and how many rows left the system.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = user_reference(_("actor"))
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=PIIAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Empty for an export (it covers many rows of ``content_type``).
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=1)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        permissions = [("reveal_pii", _("Can reveal protected personal data"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action=PIIAction.REVEAL) | ~Q(reason=""),
                name="core_piiaccesslog_reveal_has_reason",
                violation_error_message=_("A reveal of personal data needs a reason."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_action_display()} {', '.join(self.fields)}"


class IdempotencyRecord(models.Model):
    """The stored answer to a request sent with an ``Idempotency-Key`` header.

    The same key with the same body gets this response again and writes nothing; the same key
    with another body is refused. Keys are per user and endpoint.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    endpoint = models.CharField(_("endpoint"), max_length=100)
    key = models.CharField(_("idempotency key"), max_length=255)
    request_hash = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    response = models.JSONField(_("response"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "endpoint", "key"], name="core_idempotency_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
