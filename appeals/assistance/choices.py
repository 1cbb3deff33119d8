"""Choices of the assistance funds (帮扶). The merger may fold them into ``appeals/choices.py``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundSource(models.TextChoices):
    SPECIAL_PARTY_FEES = "special_party_fees", _("Special party fees")  # 专项党费
    FISCAL = "fiscal", _("Government budget")  # 财政
    ENTERPRISE_DONATION = "enterprise_donation", _("Enterprise donation")  # 企业捐赠
    SOCIAL_DONATION = "social_donation", _("Public donation")  # 社会捐赠


class FundStatus(models.TextChoices):
    ACTIVE = "active", _("Open for disbursements")
    CLOSED = "closed", _("Closed")


class DisbursementPurpose(models.TextChoices):
    HARDSHIP = "hardship", _("Hardship relief")  # 困难帮扶
    MEDICAL = "medical", _("Medical aid")  # 医疗救助
    ACCIDENT = "accident", _("Accident or injury")  # 意外伤害
    HOLIDAY = "holiday", _("Holiday visit")  # 节日慰问
    EDUCATION = "education", _("Education and children")  # 助学/子女
    OTHER = "other", _("Other")


class DisbursementStatus(models.TextChoices):
    DISBURSED = "disbursed", _("Disbursed")
    CANCELLED = "cancelled", _("Cancelled")
