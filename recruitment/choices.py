from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The five stages of the pipeline (发展党员的五个阶段)."""

    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    TARGET = "target", _("Development target")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class StepCode(models.TextChoices):
    """The 25 steps of 《中国共产党发展党员工作细则》, in order (``recruitment.steps`` holds
    their rules)."""

    APPLICATION = "application", _("Application submitted")
    TALK = "talk", _("Talk with the applicant")
    RECOMMENDATION = "recommendation", _("Recommended and decided as activist")
    ACTIVIST_FILED = "activist_filed", _("Activist filed with the higher committee")
    CONTACTS = "contacts", _("Contact persons assigned")
    ACTIVIST_ASSESSMENT = "activist_assessment", _("Education and assessment of the activist")
    TARGET_DECIDED = "target_decided", _("Decided as development target")
    TARGET_FILED = "target_filed", _("Development target filed with the higher committee")
    INTRODUCERS = "introducers", _("Introducers named")
    POLITICAL_REVIEW = "political_review", _("Political review")
    TRAINING = "training", _("Concentrated training")
    COMMITTEE_REVIEW = "committee_review", _("Branch committee review")
    PRE_REVIEW = "pre_review", _("Pre-review by the higher committee")
    VOLUNTEER_FORM = "volunteer_form", _("Application form for membership filled in")
    ADMISSION_VOTE = "admission_vote", _("Branch general meeting vote on admission")
    UPPER_TALK = "upper_talk", _("Talk by the higher committee")
    ADMISSION_APPROVAL = "admission_approval", _("Admission approved by the higher committee")
    ADMISSION_FILED = "admission_filed", _("Admission filed upward")
    PLACED = "placed", _("Placed in a branch and party group")
    OATH = "oath", _("Admission oath")
    PROBATION_ASSESSMENT = "probation_assessment", _("Education and assessment on probation")
    FULL_APPLICATION = "full_application", _("Application to become a full member")
    FULL_VOTE = "full_vote", _("Branch general meeting vote on full membership")
    FULL_APPROVAL = "full_approval", _("Full membership approved by the higher committee")
    ARCHIVED = "archived", _("Documents archived")


class RecommendationMethod(models.TextChoices):
    MEMBERS = "members", _("Recommended by party members")
    LEAGUE = "league", _("Recommended by the Youth League (推优)")
    MASS_ORGANIZATION = "mass_organization", _("Recommended by a mass organization")


class OverdueKind(models.TextChoices):
    NO_TALK = "no_talk", _("No talk within a month of the application")
    APPROVAL_PENDING = "approval_pending", _("Approval pending beyond three months")
    PROBATION_ENDING = "probation_ending", _("Probation ending within 30 days")
