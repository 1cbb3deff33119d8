"""Portal forms of the task force (entry only; the rules live in the services)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
