from django.db import models
from django.utils.translation import gettext_lazy as _


class LivePlatform(models.TextChoices):
    DOUYIN = "douyin", _("Douyin")
    KUAISHOU = "kuaishou", _("Kuaishou")
    WECHAT_CHANNELS = "wechat_channels", _("WeChat Channels")
    OTHER = "other", _("Other platform")


class JobIndustry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    LOGISTICS = "logistics", _("Logistics and delivery")
    RETAIL = "retail", _("Wholesale and retail")
    HOSPITALITY = "hospitality", _("Hotels and catering")
    IT = "it", _("Information technology")
    CONSTRUCTION = "construction", _("Construction")
    SERVICES = "services", _("Household services")
    HEALTHCARE = "healthcare", _("Health and care")
    OTHER = "other", _("Other industry")


class PositionStatus(models.TextChoices):
    OPEN = "open", _("Recruiting")
    CLOSED = "closed", _("Closed")


class ApplicationChannel(models.TextChoices):
    PARTNER_APP = "partner_app", _("Partner app")
    STAFF = "staff", _("Recorded by staff")


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INTERVIEWED = "interviewed", _("Interviewed")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Not hired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Which status may follow which (the one place that says so).
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.APPLIED: frozenset(
        {
            ApplicationStatus.INTERVIEWED,
            ApplicationStatus.HIRED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.INTERVIEWED: frozenset(
        {ApplicationStatus.HIRED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.HIRED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}
