"""The portal's form look, written once: every face's filter and entry forms call these."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def style_inputs(
    form,
    *,
    skip: tuple[type[forms.Widget], ...] = (forms.CheckboxSelectMultiple,),
    date_inputs: bool = False,
    search_q: bool = True,
) -> None:
    """Widgets that work on a phone and without JavaScript: the ``input`` class on every widget
    but those in ``skip``; with ``date_inputs`` the browser's date picker for date fields; with
    ``search_q`` the ``q`` field is a search box."""
    for bound in form:
        widget = bound.field.widget
        if date_inputs and isinstance(widget, forms.DateInput):
            widget.input_type = "date"
        if not isinstance(widget, skip):
            widget.attrs.setdefault("class", "input")
    if search_q and "q" in form.fields:
        form.fields["q"].widget.input_type = "search"


def tree_select(objects) -> forms.Select:
    """A select of tree nodes (``code``, ``name``, ``depth``) indented by depth, valued by code."""
    return forms.Select(
        choices=[("", "---------")] + [(o.code, "\u3000" * o.depth + o.name) for o in objects]
    )


def apply_service_errors(form: forms.Form, exc: ValidationError, aliases=None) -> None:
    """Put a service's ``ValidationError`` on the form's fields (unknown keys, and an error
    without fields, as form errors); ``aliases`` maps a service's key to the form's field."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        name = aliases.get(key, key)
        form.add_error(name if name in form.fields else None, errors)
