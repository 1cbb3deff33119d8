"""Forms of the grid's pages: shapes only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations import scoping

from .models import RewardItem


class AdjustForm(forms.Form):
    volunteer = forms.IntegerField(label=_("Volunteer number"), min_value=1)
    points = forms.IntegerField(label=_("Points (negative to deduct)"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RedeemForm(forms.Form):
    volunteer = forms.IntegerField(label=_("Volunteer number"), min_value=1)
    item = forms.ModelChoiceField(queryset=RewardItem.objects.none(), label=_("Reward"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=20, initial=1)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = scoping.restrict(
            RewardItem.objects.filter(active=True).select_related("station"), user
        )
