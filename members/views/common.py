"""Helpers shared by the pages of the two finds (``members.views``)."""

from __future__ import annotations

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from organizations.choices import RegionLevel
from organizations.models import Region

SESSION_REFERENCE = "members_claim_reference"


def is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def name_of(obj) -> str:
    return obj.name if obj is not None else ""


def tune_filter_form(form) -> None:
    """Widgets that work on a phone and without JavaScript (as on the enterprise list)."""
    fields = form.fields
    for choice_field in fields.values():
        if isinstance(choice_field, forms.MultipleChoiceField) and not isinstance(
            choice_field, forms.ModelMultipleChoiceField
        ):
            choice_field.widget = forms.CheckboxSelectMultiple(choices=choice_field.choices)
    if "region" in fields:
        regions = (
            Region.objects.exclude(level=RegionLevel.COMMUNITY)
            .only("code", "name", "depth")
            .order_by("path")
        )
        fields["region"].label = form["region"].label = _("Region (includes its subtree)")
        fields["region"].widget = forms.Select(
            choices=[("", "---------")] + [(r.code, "\u3000" * r.depth + r.name) for r in regions]
        )
    if "overdue" in fields:
        fields["overdue"].widget = forms.Select(
            choices=[("", "---------"), ("true", _("Overdue only")), ("false", _("Not overdue"))]
        )
    if "q" in fields:
        fields["q"].widget.input_type = "search"
    for name in ("opened_after", "opened_before"):
        if name in fields:
            fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    for bound in form:
        if not isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
            bound.field.widget.attrs.setdefault("class", "input")
