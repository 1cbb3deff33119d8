from django.db import models
from django.utils.translation import gettext_lazy as _


class MassOrgKind(models.TextChoices):
    UNION = "union", _("Trade union")
    YOUTH_LEAGUE = "youth_league", _("Communist Youth League")
    WOMENS_FEDERATION = "womens_federation", _("Women's federation")


class Attachment(models.TextChoices):
    ENTERPRISE = "enterprise", _("An enterprise")
    INDUSTRY = "industry", _("An industry")
    REGION = "region", _("A region")


class ProjectKind(models.TextChoices):
    CARE_CLASS = "care_class", _("Care class for workers' children")
    MEDIATION = "mediation", _("Labour-dispute mediation")
    STARTUP_CREDIT = "startup_credit", _("Start-up credit referral")
    HOME_IMPROVEMENT = "home_improvement", _("Home improvement")


class MediationStatus(models.TextChoices):
    OPEN = "open", _("Being mediated")
    SETTLED = "settled", _("Settled")
    FAILED = "failed", _("Not settled")
