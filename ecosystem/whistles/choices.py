from django.db import models
from django.utils.translation import gettext_lazy as _


class WhistleCategory(models.TextChoices):
    FINANCING = "financing", _("Financing")
    APPROVAL = "approval", _("Approval")
    TALENT = "talent", _("Talent")
    LAND = "land", _("Land")
    ENERGY = "energy", _("Energy")
    LOGISTICS = "logistics", _("Logistics")
    MARKET = "market", _("Market")
    OTHER = "other", _("Other")


class WhistleStatus(models.TextChoices):
    """RAISED → ROUTED → REPORTED → RESOLVED → CLOSED (derived from the assignments by the
    services: routed while a department has not reported, reported once all have, resolved once
    all have resolved)."""

    RAISED = "raised", _("Raised")
    ROUTED = "routed", _("Routed to departments")
    REPORTED = "reported", _("Reported by departments")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (WhistleStatus.RAISED, WhistleStatus.ROUTED, WhistleStatus.REPORTED)


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Awaiting report")
    REPORTED = "reported", _("Reported")
    RESOLVED = "resolved", _("Resolved")


#: An assignment in these states has a due time the escalation scan watches.
DUE_ASSIGNMENT_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.REPORTED)


class WhistleEventKind(models.TextChoices):
    RAISE = "raise", _("Raised")
    ROUTE = "route", _("Routed")
    REPORT = "report", _("Reported")
    RESOLVE = "resolve", _("Resolved")
    ESCALATE = "escalate", _("Escalated")
    CLOSE = "close", _("Closed")


class RaisedBy(models.TextChoices):
    ENTERPRISE = "enterprise", _("The enterprise")
    PARTY_ORGANIZATION = "party_organization", _("Its party organization")
