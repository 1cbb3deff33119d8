"""Choices of the task force, the 18 measures and the field research (labels translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    DEPLOYMENT = "deployment", _("Deployment meeting")
    PROGRESS = "progress", _("Progress meeting")
    SPECIAL = "special", _("Special meeting")


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


#: Tasks still owed by their unit.
OPEN_TASK_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


class QuarterStatus(models.TextChoices):
    """A measure's standing in a quarter, computed from its indicators' reports."""

    NOT_REPORTED = "not_reported", _("Not reported")
    BEHIND = "behind", _("Behind schedule")
    ON_TRACK = "on_track", _("On track")
    DONE = "done", _("Achieved")


class VisitTarget(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    STATION = "station", _("Station or outlet")
    PLATFORM = "platform", _("Platform")
    COMMUNITY = "community", _("Community or gathering place")


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", _("Under 25")
    FROM_25 = "25_34", _("25-34")
    FROM_35 = "35_44", _("35-44")
    FROM_45 = "45_plus", _("45 and over")
    UNKNOWN = "unknown", _("Not asked")


class DemandOutcome(models.TextChoices):
    OPEN = "open", _("Collected")
    APPEAL = "appeal", _("Turned into an appeal")
    MEASURE = "measure", _("Attached to a measure")
    POLICY = "policy", _("Input to a policy")
    ANSWERED = "answered", _("Answered on the spot")


class OutputKind(models.TextChoices):
    RECORD = "record", _("Research record")
    MEASURES = "measures", _("Proposed measures")
    COMPILATION = "compilation", _("Research compilation")
    DEMANDS = "demands", _("Collected demands")
    POLICY = "policy", _("Policy document")
