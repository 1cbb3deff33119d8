"""Posting an admin change form as a browser does: every field of the main form and of each
inline formset (with its management form) as the page shows it, then the test's changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.forms import MultiWidget


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | models.QuerySet):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _form_data(form, out: dict[str, Any]) -> None:
    for name, field in form.fields.items():
        bound = form[name]
        key = bound.html_name
        value = bound.value()
        if isinstance(field.widget, MultiWidget):
            parts = field.widget.decompress(value)
            for n, part in enumerate(parts):
                if part is not None:
                    out[f"{key}_{n}"] = _plain(part)
            continue
        if value is None or value is False:
            continue
        out[key] = "on" if value is True else _plain(value)


def change_form_data(response) -> dict[str, Any]:
    """The POST a browser would send for the admin change (or add) page ``response``."""
    out: dict[str, Any] = {}
    _form_data(response.context["adminform"].form, out)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            out[management[name].html_name] = management[name].value()
        for form in formset.forms:
            _form_data(form, out)
    return out


def add_row(data: dict[str, Any], prefix: str, row: dict[str, Any]) -> None:
    """Append one new row to the inline formset ``prefix`` of ``data``."""
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in row.items():
        data[f"{prefix}-{n}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = n + 1
