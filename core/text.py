"""Text input rules, applied at the boundary to every text field of every API serializer and
every form (portal, admin, filters):

* control characters are refused with a field error: NUL (which PostgreSQL cannot store) and
  every other C0/C1 control character except tab, line feed and carriage return;
* every text input has a maximum length, refused beyond it (never truncated): the field's own
  ``max_length`` (a model ``CharField``'s, or one given to the field), else
  :data:`TEXT_MAX_LENGTH` characters. The API schema documents it as ``maxLength``.

Installed once by :meth:`core.apps.CoreConfig.ready` as a default of DRF's and Django's
``CharField`` (their subclasses included: e-mail, URL, slug, choice-free text), the way both
libraries already add their own NUL check, so a serializer or form written anywhere in the
project gets the rules without opting in.
"""

from __future__ import annotations

import functools
import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: The longest text any field accepts when it names no ``max_length`` of its own (a model
#: ``TextField``: a description, a note, a reply).
TEXT_MAX_LENGTH = 5000

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@deconstructible
class ControlCharacterValidator:
    """Refuses text holding a control character other than tab, line feed and carriage return."""

    message = _("Control characters (such as NUL) are not allowed.")
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator)

    def __hash__(self) -> int:
        return hash(ControlCharacterValidator)


no_control_characters = ControlCharacterValidator()


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value))


def _with_text_rules(init, exempt: tuple[type, ...]):
    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        if isinstance(self, exempt):
            init(self, *args, **kwargs)
            return
        if kwargs.get("max_length") is None:
            kwargs["max_length"] = TEXT_MAX_LENGTH
        init(self, *args, **kwargs)
        if no_control_characters not in self.validators:
            self.validators.append(no_control_characters)

    __init__._text_rules = True
    return __init__


def install() -> None:
    """Make the rules the default of DRF's and Django's ``CharField`` (idempotent)."""
    from django import forms
    from rest_framework import fields

    # Django's UUID and JSON form fields are CharFields whose value is not text.
    for cls, exempt in (
        (fields.CharField, ()),
        (forms.CharField, (forms.UUIDField, forms.JSONField)),
    ):
        if not getattr(cls.__init__, "_text_rules", False):
            cls.__init__ = _with_text_rules(cls.__init__, exempt)
