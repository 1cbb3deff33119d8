"""Choices of the grid (网格): volunteers, tasks, claims, the points ledger, campaigns."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class VolunteerChannel(models.TextChoices):
    PARTNER = "partner", _("Partner app")
    STATION = "station", _("At a station")
    STAFF = "staff", _("By staff")


class Skill(models.TextChoices):
    ANTI_FRAUD = "anti_fraud", _("Anti-fraud outreach")  # 反诈宣传
    ELDERLY_CARE = "elderly_care", _("Care for the elderly")  # 关爱独居老人
    CHILDREN = "children", _("Left-behind children")  # 留守儿童
    FIRST_AID = "first_aid", _("First aid")  # 急救
    DELIVERY = "delivery", _("Deliveries")  # 配送
    PATROL = "patrol", _("Safety patrol")  # 巡查


class TaskKind(models.TextChoices):
    ANTI_FRAUD = "anti_fraud", _("Anti-fraud outreach")
    ELDERLY_CARE = "elderly_care", _("Care delivery to an elderly person living alone")
    CHILDREN = "children", _("Visit to left-behind children")
    FAMILY_AID = "family_aid", _("Help for a family in difficulty")
    PATROL = "patrol", _("Safety patrol")
    EMERGENCY = "emergency", _("Emergency help")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")  # every place taken
    DONE = "done", _("Done")  # every claim verified
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class ClaimStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    DECLINED = "declined", _("Declined")
    CLAIMED = "claimed", _("Claimed")
    SUBMITTED = "submitted", _("Proof submitted")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


#: Claims that hold one of the task's places.
HOLDING = (ClaimStatus.CLAIMED, ClaimStatus.SUBMITTED, ClaimStatus.RETURNED, ClaimStatus.VERIFIED)
#: Claims a volunteer is still working on (count against overlapping and load limits).
WORKING = (ClaimStatus.CLAIMED, ClaimStatus.SUBMITTED, ClaimStatus.RETURNED)


class EventKind(models.TextChoices):
    PUBLISHED = "published", _("Published")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Invitation accepted")
    DECLINED = "declined", _("Invitation declined")
    CLAIMED = "claimed", _("Claimed")
    SUBMITTED = "submitted", _("Proof submitted")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class EntryKind(models.TextChoices):
    EARNED = "earned", _("Earned for a verified task")
    ADJUSTED = "adjusted", _("Adjusted by staff")
    REDEEMED = "redeemed", _("Redeemed")
    EXPIRED = "expired", _("Expired")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
