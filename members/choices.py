from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PoliticalStatus(models.TextChoices):
    """Political status as a worker declares it (the roster's word, not the party's record)."""

    MASSES = "masses", _("Masses")
    LEAGUE = "league", _("Communist Youth League member")
    ACTIVIST = "activist", _("Activist applying for party membership")
    PROBATIONARY = "probationary", _("Probationary party member")
    FULL = "full", _("Full party member")


#: Declared statuses that say "I am a party member".
DECLARED_MEMBER_STATUSES = frozenset({PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL})


class WorkerSourceKind(models.TextChoices):
    PLATFORM_ROSTER = "platform_roster", _("Platform roster")
    SURVEY = "survey", _("Survey")
    SELF_REGISTRATION = "self_registration", _("Self-registration")
    IMPORT = "import", _("Import")


class MemberStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")
    SUSPENDED = "suspended", _("Membership suspended")
    REMOVED = "removed", _("Removed")


class TransferLetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    RECEIVED = "received", _("Received")
    EXPIRED = "expired", _("Expired")
    RETURNED = "returned", _("Returned")


class MatchRule(models.TextChoices):
    EXACT_ID = "exact_id", _("Same ID number")
    FUZZY = "fuzzy", _("Similar person")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for review")
    AUTO_ACCEPTED = "auto_accepted", _("Accepted automatically")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not a match")


#: Proposals that say "this worker is this member".
ACCEPTED_PROPOSAL_STATUSES = frozenset({ProposalStatus.AUTO_ACCEPTED, ProposalStatus.CONFIRMED})


class CaseStatus(models.TextChoices):
    DISCOVERED = "discovered", _("Discovered")
    VERIFYING = "verifying", _("Verifying")
    CONTACTED = "contacted", _("Contacted")
    REPORTED = "reported", _("Reported in")
    ASSIGNED = "assigned", _("Placed in a local branch")
    TRANSFERRED = "transferred", _("Relation transferred")
    REJECTED = "rejected", _("Not a match")
    LOST_CONTACT = "lost_contact", _("Lost contact")


#: Statuses after which a case needs no further action.
CLOSED_CASE_STATUSES = frozenset(
    {CaseStatus.TRANSFERRED, CaseStatus.REJECTED, CaseStatus.LOST_CONTACT}
)


class CaseOrigin(models.TextChoices):
    MATCH = "match", _("Roster matching")
    DECLARED = "declared", _("Declared on a roster")
    SELF_REPORT = "self_report", _("Self-report form")
    PARTNER_REPORT = "partner_report", _("Partner app report")


class ClaimChannel(models.TextChoices):
    PUBLIC_FORM = "public_form", _("Public form")
    STATION_QR = "station_qr", _("Station QR code")
    PARTNER_API = "partner_api", _("Partner app")
