from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    ZONE = "zone", _("Management zone")
    STREET = "street", _("Street / town")
    COMMUNITY = "community", _("Community")


class OrganizationKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", _("Working committee")
    INDUSTRY_COMMITTEE = "industry_committee", _("Industry party committee")
    PRIMARY_COMMITTEE = "primary_committee", _("Primary party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")
    JOINT_BRANCH = "joint_branch", _("Joint party branch")
    MOBILE_BRANCH = "mobile_branch", _("Mobile-member party branch")
    FUNCTIONAL = "functional", _("Functional party organization")
    #: 产业链综合党委: the industry-chain comprehensive committee, under the working committee.
    CHAIN_GENERAL_COMMITTEE = "chain_general", _("Industry-chain comprehensive party committee")
    #: 产业链党委: the committee of one industry chain, under the comprehensive committee.
    CHAIN_COMMITTEE = "chain_committee", _("Industry-chain party committee")


class OrganizationBasis(models.TextChoices):
    """How an organization was formed (组建方式); it decides the coverage of the units it covers."""

    UNIT = "unit", _("Formed in one unit")
    JOINT = "joint", _("Formed jointly by several units")
    REGIONAL = "regional", _("Formed for a region")
    INDUSTRY = "industry", _("Formed for an industry")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class EnterpriseKind(models.TextChoices):
    PLATFORM_HQ = "platform_hq", _("Platform headquarters")
    REGIONAL_OPERATOR = "regional_operator", _("Regional operator")
    OUTLET = "outlet", _("Station or outlet")
    MCN = "mcn", _("MCN agency")
    FLEET = "fleet", _("Fleet")
    OTHER = "other", _("Other")


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    CLOSED = "closed", _("Closed")


class CoverageMode(models.TextChoices):
    STANDALONE = "standalone", _("Standalone organization")
    JOINT = "joint", _("Joint organization")
    REGIONAL = "regional", _("Regional organization")
    INDUSTRY = "industry", _("Industry organization")
    WORK_ONLY = "work_only", _("Work coverage only")
    NONE = "none", _("Not covered")


ORGANIZATION_COVERAGE_MODES = (
    CoverageMode.STANDALONE,
    CoverageMode.JOINT,
    CoverageMode.REGIONAL,
    CoverageMode.INDUSTRY,
)


class InstructorGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASICALLY_COMPETENT = "basically_competent", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


class GrantKind(models.TextChoices):
    CITY = "city", _("City-wide")
    ORGANIZATION = "organization", _("Organization subtree")
    REGION = "region", _("Region subtree")
    PARTNER = "partner", _("Partner system")
    DEPARTMENT = "department", _("Member unit of the task force")
