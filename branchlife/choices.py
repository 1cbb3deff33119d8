"""Choices of organization life: meetings, attendance, evaluations, dues."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """三会一课 and the other regular meetings; how often each is due is a setting
    (``branchlife.conf.meeting_frequencies``)."""

    GENERAL_MEETING = "general_meeting", _("Branch general meeting")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LESSON = "lesson", _("Party lesson")
    THEME_DAY = "theme_day", _("Theme party day")
    LIFE_MEETING = "life_meeting", _("Organizational life meeting")
    EVALUATION = "evaluation", _("Democratic evaluation of members")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class PlaceKind(models.TextChoices):
    STATION = "station", _("At a station")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Elsewhere")


class ParticipationStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    LEAVE = "leave", _("On leave")
    PRESENT = "present", _("Present")


class CheckInChannel(models.TextChoices):
    PORTAL = "portal", _("Recorded in the portal")
    PARTNER_APP = "partner_app", _("Partner app")
    QR_CODE = "qr_code", _("QR code")


class Rating(models.TextChoices):
    """民主评议党员: the four ratings."""

    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASICALLY_QUALIFIED = "basically_qualified", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class DuesCategory(models.TextChoices):
    """Which rule sets a member's monthly dues (the rates are settings)."""

    EMPLOYED = "employed", _("Income earner")
    RETIREE = "retiree", _("Retiree")
    STUDENT = "student", _("Student")
    UNEMPLOYED = "unemployed", _("Unemployed or in hardship")
    FARMER = "farmer", _("Farmer")


class PaymentChannel(models.TextChoices):
    CASH = "cash", _("Cash to the branch")
    BANK = "bank", _("Bank transfer")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    PARTNER = "partner", _("Partner system")
