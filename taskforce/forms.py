"""Portal forms of the task force (entry only; the rules live in the services)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskReportForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    reported_on = forms.DateField(label=_("Reported on"), initial=timezone.localdate)
