"""Meetings of the task force (部署会, 推进会), their decisions, and the tasks those decisions
give to member units, followed by progress reports until done.

A task is due at the end of the working day of its due date (the next working day when the
date is a holiday or a weekend: the official calendar of ``appeals``); it escalates to the task
force's lead when it is still open a number of working days after that
(``TaskForce.escalation_grace_days``): the periodic scan sets ``escalated_at``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.defaults import private_storage
from core.userfields import user_reference
from organizations.models import Department
from organizations.scoping import ScopeRule

from ..choices import OPEN_TASK_STATUSES, MeetingKind, TaskStatus


class Meeting(models.Model):
    """A meeting of the task force with the member units that attended."""

    scope = ScopeRule(department="attending_units")

    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=64, blank=True)
    attending_units = models.ManyToManyField(
        Department, verbose_name=_("attending units"), related_name="taskforce_meetings"
    )
    attendees = models.TextField(
        _("attendees"), blank=True, help_text=_("Names and titles of the people present.")
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task force meeting")
        verbose_name_plural = _("task force meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class MeetingDocument(models.Model):
    """A document of a meeting (notice, speech, minutes as issued): a link to the file in the
    document system, with its name."""

    scope = ScopeRule(department="meeting__attending_units")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to="taskforce/meetings/",
        blank=True,
        max_length=200,
    )
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    link = models.URLField(_("link to the file"), blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.file and self.link:
            raise ValidationError({"link": gettext("Give either a file or a link, not both.")})


class Decision(models.Model):
    """One decision (议定事项) of a meeting; it becomes one task per responsible unit."""

    scope = ScopeRule(department=("meeting__attending_units", "tasks__unit"))

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_decision_number")
        ]

    def __str__(self) -> str:
        return f"{self.meeting.held_on:%Y-%m-%d} #{self.number}"


class Task(models.Model):
    """Work a decision gives to one member unit, with its due date and progress."""

    scope = ScopeRule(department="unit")

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    unit = models.ForeignKey(
        Department,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="taskforce_tasks",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at (working time)"), null=True, editable=False)
    escalate_at = models.DateTimeField(_("escalates at"), null=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    escalated_to = user_reference(_("escalated to"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task force task")
        verbose_name_plural = _("task force tasks")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "escalate_at"], name="taskforce_task_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES

    def clean(self):
        super().clean()
        if self.status == TaskStatus.DONE and not self.completed_on:
            raise ValidationError({"completed_on": gettext("A done task needs its date.")})


class TaskReport(models.Model):
    """A progress report on a task by its unit (or the task force office)."""

    scope = ScopeRule(department="task__unit")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("reported on"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    text = models.TextField(_("what was done"))
    reported_by = user_reference(_("reported by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task progress report")
        verbose_name_plural = _("task progress reports")
        ordering = ["task", "-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task} · {self.reported_on:%Y-%m-%d} {self.progress}%"
