"""A form of a public door (no account: the self-report of 党员找组织, the public appeal): the
PIPL consent box, which must be ticked to send anything, and a trap field that bots fill in and
people never see. Written once for every door; the door's view drops a request whose trap is
filled, and its template draws the visible fields, then ``portal/_consent_box.html`` and
``portal/_honeypot.html``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

#: The hidden field bots fill in and people never see.
HONEYPOT_FIELD = "website"
CONSENT_FIELD = "consent"


def consent_field() -> forms.BooleanField:
    """The PIPL consent box of a public door: it must be ticked to send anything."""
    return forms.BooleanField(
        label=_(
            "I have read the notice on personal information above and agree that my "
            "information is processed as it says."
        ),
        required=True,
        error_messages={
            "required": _(
                "Tick this box to agree to the notice: without your consent nothing is sent."
            )
        },
    )


class PublicDoorForm(forms.Form):
    """The consent box and the trap, after the door's own fields."""

    consent = consent_field()
    # Bots fill every field; people never see this one (off screen, hidden from readers).
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in (CONSENT_FIELD, HONEYPOT_FIELD):  # after the door's own fields
            self.fields[name] = self.fields.pop(name)
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def visible_fields_without_honeypot(self):
        return [b for b in self if b.name not in (HONEYPOT_FIELD, CONSENT_FIELD)]

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    @property
    def consent_box(self):
        return self[CONSENT_FIELD]

    def door_data(self) -> tuple[dict[str, Any], bool]:
        """The cleaned data without the trap and the consent, and whether consent was given."""
        data = dict(self.cleaned_data)
        data.pop(HONEYPOT_FIELD, None)
        return data, bool(data.pop(CONSENT_FIELD, False))
