"""The portal's form for recording a candidate's next step: the shape of the input only; the
rules are ``recruitment.services.step_record``'s."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import style_inputs
from members.choices import MemberStatus
from members.selectors import members_for, placeable_organizations
from training.selectors import classes_for

from . import steps
from .choices import RecommendationMethod
from .models import Candidate

#: Recent training classes offered as proof of the concentrated training.
CLASS_CHOICES_LIMIT = 200

#: The detail fields each step's check reads (``recruitment.rules``); the form shows only
#: those of the steps that may come next, so a talk does not ask for a vote count.
DETAIL_FIELDS: dict[str, tuple[str, ...]] = {
    "recommendation": ("method",),
    "contacts": ("contacts",),
    "introducers": ("introducers",),
    "training": ("training_class", "hours", "days"),
    "vote": ("voting_members", "present", "in_favour"),
}


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"))
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    method = forms.ChoiceField(
        label=_("Recommended by"),
        required=False,
        choices=[("", "—"), *RecommendationMethod.choices],
    )
    contacts = forms.TypedMultipleChoiceField(
        label=_("Contact persons (full members)"), required=False, coerce=int
    )
    introducers = forms.TypedMultipleChoiceField(
        label=_("Introducers (two full members)"), required=False, coerce=int
    )
    training_class = forms.TypedChoiceField(
        label=_("Training class attended"), required=False, coerce=int, empty_value=None
    )
    hours = forms.DecimalField(
        label=_("Class hours (when no class is chosen)"),
        required=False,
        min_value=0,
        max_value=1000,
        decimal_places=1,
    )
    days = forms.IntegerField(label=_("Training days"), required=False, min_value=0, max_value=365)
    voting_members = forms.IntegerField(
        label=_("Full members with a vote"),
        required=False,
        min_value=0,
        help_text=_("Empty: the branch's full members on the roster."),
    )
    present = forms.IntegerField(label=_("Present"), required=False, min_value=0)
    in_favour = forms.IntegerField(label=_("In favour"), required=False, min_value=0)

    def __init__(self, *args, user, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = steps.next_steps(candidate.last_step)
        self.fields["step"].choices = [(s.code.value, f"{s.number}. {s.label}") for s in allowed]
        wanted = {name for s in allowed for name in DETAIL_FIELDS.get(s.check, ())}
        for name in [n for fields in DETAIL_FIELDS.values() for n in fields if n not in wanted]:
            del self.fields[name]
        if "contacts" in wanted or "introducers" in wanted:
            self._offer_members(user, candidate)
        if "training_class" in wanted:
            self._offer_classes(user)
        style_inputs(self, skip=(), date_inputs=True)

    def _offer_members(self, user, candidate: Candidate) -> None:
        members = (
            members_for(user)
            .filter(
                Q(organization=candidate.organization_id)
                | Q(host_organization=candidate.organization_id),
                status=MemberStatus.FULL,
            )
            .order_by("name", "pk")
            .values_list("pk", "name", "member_id")
        )
        member_choices = [(pk, f"{name}（{member_id}）") for pk, name, member_id in members]
        for name in ("contacts", "introducers"):
            if name in self.fields:
                self.fields[name].choices = member_choices

    def _offer_classes(self, user) -> None:
        classes = classes_for(user).order_by("-starts_on", "-pk").values_list("pk", "name")
        self.fields["training_class"].choices = [
            ("", "—"),
            *[(pk, name) for pk, name in classes[:CLASS_CHOICES_LIMIT]],
        ]

    def details(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("step", "on", "note"):
            data.pop(name, None)
        return {k: v for k, v in data.items() if v not in (None, "", [])}


def _secret_input() -> forms.PasswordInput:
    # Never renders a value back, so a typed number does not travel back in the HTML.
    return forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})


class ApplicationForm(forms.Form):
    """An application (step 1): a worker from the roster (``?worker=``) or a person by name and
    resident ID number, the branch developing them and the date of the application."""

    name = forms.CharField(label=_("Name"), max_length=64, required=False)
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=32, required=False, widget=_secret_input()
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False, widget=_secret_input())
    organization = forms.ModelChoiceField(
        label=_("Developing organization"), queryset=None, to_field_name="code"
    )
    applied_on = forms.DateField(label=_("Applied on"), widget=forms.DateInput())

    def __init__(self, *args, user, worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.worker = worker
        self.fields["organization"].queryset = placeable_organizations(user)
        if worker is not None:
            for name in ("name", "id_number", "phone"):
                del self.fields[name]
            if worker.enterprise_id and worker.enterprise.party_organization_id:
                self.fields["organization"].initial = worker.enterprise.party_organization.code
        style_inputs(self, skip=(), date_inputs=True)

    def data_for_service(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if self.worker is not None:
            data["worker"] = self.worker
        return data
