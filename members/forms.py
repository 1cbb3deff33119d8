"""Forms of the members pages: they shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.doorforms import CONSENT_FIELD, PublicDoorForm
from organizations.choices import RegionLevel
from organizations.models import Industry, Region

from .choices import CaseStatus
from .models import MemberClaim
from .selectors import case_owner_choices, placeable_organizations


def _max(name: str) -> int:
    return MemberClaim._meta.get_field(name).max_length


#: The personal-information notice of the public self-report form (members/_report_notice.html):
#: its version is stored with each report that accepted it; change it when the text changes.
REPORT_NOTICE_VERSION = "report-2026-12"


class ClaimForm(PublicDoorForm):
    """The public self-report form (党员找组织). The service validates again (check digit,
    phone, codes); its errors are put back on these fields."""

    name = forms.CharField(label=_("Your name"), max_length=_max("name"))
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        help_text=_("18 characters; the last one may be X."),
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    home_organization_name = forms.CharField(
        label=_("Party organization holding your membership relation"),
        max_length=_max("home_organization_name"),
        help_text=_("For example: the party branch of your village or former employer."),
    )
    employer_name = forms.CharField(
        label=_("Employer or platform"), max_length=_max("employer_name"), required=False
    )
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    region = forms.ChoiceField(label=_("District or street where you work"), required=False)
    work_place = forms.CharField(
        label=_("Where you usually work"),
        max_length=_max("work_place"),
        required=False,
        help_text=_("A station, a shopping area or a road, so a nearby branch can reach you."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", "---------")] + [
            (i.code, i.name) for i in Industry.objects.order_by("sort_order", "code")
        ]
        regions = (
            Region.objects.exclude(level=RegionLevel.COMMUNITY)
            .only("code", "name", "depth")
            .order_by("path")
        )
        self.fields["region"].choices = [("", "---------")] + [
            (r.code, "\u3000" * r.depth + r.name) for r in regions
        ]
        attrs = {
            "name": {"autocomplete": "name"},
            "id_number": {
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
            },
            "phone": {"type": "tel", "inputmode": "tel", "autocomplete": "tel"},
            "employer_name": {"autocomplete": "organization"},
        }
        for name, field in self.fields.items():
            field.widget.attrs.update(attrs.get(name, {}))
            if name != CONSENT_FIELD:
                field.widget.attrs.setdefault("class", "input")
        self.fields["phone"].widget.input_type = "tel"

    def service_data(self) -> dict[str, Any]:
        return self.door_data()[0]  # the consent is required: the view records its version


class CaseTransitionForm(forms.Form):
    """One form for the next step of a case; each allowed status is its own submit button."""

    to_status = forms.ChoiceField(label=_("Next status"), choices=CaseStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    organization = forms.ModelChoiceField(
        label=_("Local branch to place them in"), queryset=None, required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Owner of the next action"), queryset=None, required=False
    )
    due_on = forms.DateField(
        label=_("Next action due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for the usual time of the new status."),
    )

    def __init__(self, *args: Any, user: Any, allowed: frozenset[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        self.fields["owner"].queryset = case_owner_choices(user)
        if CaseStatus.ASSIGNED in allowed:
            self.fields["organization"].queryset = placeable_organizations(user)
        else:
            del self.fields["organization"]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")


class PhoneRevealForm(forms.Form):
    """The reason for revealing a found member's phone on the case page (access-logged)."""

    reason = forms.CharField(
        label=_("Reason for revealing the phone"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "class": "input"}),
        help_text=_(
            "Why you need the full number (e.g. to call them); it is written to the access log."
        ),
    )


# --- mobile members: activity cards and transfer letters ------------------------------------


def _date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date", "class": "input"}, format="%Y-%m-%d"),
    )


class ActivityCardIssueForm(forms.Form):
    prefix = "card"
    number = forms.CharField(
        label=_("Activity card number"),
        max_length=32,
        widget=forms.TextInput(attrs={"class": "input"}),
    )
    issued_on = _date_field(_("Issued on"), required=False, help_text=_("Empty: today."))


class ActivityCardReviewForm(forms.Form):
    prefix = "review"
    reviewed_on = _date_field(_("Reviewed on"), required=False, help_text=_("Empty: today."))


class LetterIssueForm(forms.Form):
    """Draft and issue a transfer letter in one step."""

    prefix = "letter"
    from_organization_name = forms.CharField(
        label=_("From organization"),
        max_length=128,
        widget=forms.TextInput(attrs={"class": "input"}),
    )
    to_organization = forms.ModelChoiceField(
        label=_("To a local organization"), queryset=None, required=False
    )
    to_organization_name = forms.CharField(
        label=_("Or to an organization elsewhere"),
        max_length=128,
        required=False,
        widget=forms.TextInput(attrs={"class": "input"}),
    )
    letter_number = forms.CharField(
        label=_("Letter number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"class": "input"}),
    )
    valid_until = _date_field(_("Valid until"), help_text=_("At most 90 days after issue."))

    def __init__(self, *args: Any, organizations, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].queryset = organizations
        self.fields["to_organization"].widget.attrs["class"] = "input"


class LetterReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Why it came back"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "input"}),
    )
