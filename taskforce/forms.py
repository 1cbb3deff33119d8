"""Portal forms of the task force (entry only; the rules live in the services)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import MeetingKind, OutputKind


class TaskReportForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    reported_on = forms.DateField(label=_("Reported on"), initial=timezone.localdate)


class TaskForm(forms.Form):
    """The office assigns a task to a member unit (``services.task_create`` sets its due and
    escalation times on the working-time calendar)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=None)
    due_on = forms.DateField(label=_("Due on"))
    detail = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MeetingForm(forms.Form):
    """The office records a meeting with the member units that attended
    (``services.meeting_create``)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chaired_by = forms.CharField(label=_("Chaired by"), max_length=64, required=False)
    attending_units = forms.ModelMultipleChoiceField(
        label=_("Attending units"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    attendees = forms.CharField(
        label=_("Attendees"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attending_units"].queryset = units


def _file_field() -> forms.FileField:
    from core.attachments import ACCEPT, MAX_BYTES

    return forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG, at most %(mb)d MB.")
        % {"mb": MAX_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class DocumentForm(forms.Form):
    """A document of a meeting: an uploaded file or a link (``services.document_attach``)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    file = _file_field()
    link = forms.URLField(label=_("Or a link to the file"), required=False, assume_scheme="https")


class OutputForm(forms.Form):
    """An output of a campaign with its file or link (``research.services.output_attach``)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=OutputKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    issued_on = forms.DateField(label=_("Issued on"), required=False)
    file = _file_field()
    link = forms.URLField(label=_("Or a link to the file"), required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
