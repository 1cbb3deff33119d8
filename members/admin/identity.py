"""Masked identity on the admin's forms and lists: resident IDs and phones never reach the page in
clear; a form takes a *new* value in an input that never renders one (empty keeps the stored
value), the full value comes only from the "reveal" page (``core.reveal_pii``, with a reason,
access-logged), and searching by an exact ID or phone goes through the blind index."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core import pii
from core.identity import check_resident_id
from organizations.scoped import _model_data

from ..filtersets import _TOKEN_RE, TOKEN_PREFIX

PROTECTED = ("id_number", "phone")
_ID_RE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
_PHONE_RE = re.compile(r"^\+?\d[\d\- ]{6,}$")


def _secret_input() -> forms.PasswordInput:
    # Never renders a value, so a stored or typed number does not travel back in the HTML.
    return forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})


class PersonAdminForm(forms.ModelForm):
    """Takes a new resident ID and phone; an empty input keeps the stored value."""

    new_id_number = forms.CharField(
        label=_("New resident ID number"),
        required=False,
        max_length=32,
        widget=_secret_input(),
        help_text=_("Leave empty to keep the stored number. 15-digit numbers are converted."),
    )
    new_phone = forms.CharField(
        label=_("New phone"),
        required=False,
        max_length=32,
        widget=_secret_input(),
        help_text=_("Leave empty to keep the stored number."),
    )

    def clean_new_id_number(self):
        value = self.cleaned_data["new_id_number"].strip()
        if value:
            value = check_resident_id(value).value  # a ValidationError is the field's error
        return value

    def clean_new_phone(self):
        value = pii.normalize_phone(self.cleaned_data["new_phone"])
        if value and not 7 <= len(value) <= 15:
            raise ValidationError(_("Enter a phone number."))
        return value


class RevealMixin:
    """A "reveal" page for one protected value: needs ``core.reveal_pii`` and a reason, and
    writes an access-log row (``core.pii.reveal``); outside scope it answers 404."""

    change_form_template = "admin/members/person_change_form.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_reveal"
        return [
            path(
                "<path:object_id>/reveal/",
                self.admin_site.admin_view(self.reveal_view),
                name=name,
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            **(extra_context or {}),
            "can_reveal": request.user.has_perm(pii.REVEAL_PERMISSION),
        }
        return super().change_view(request, object_id, form_url, extra)

    def reveal_view(self, request, object_id):
        """Show one protected value in full after the user gives a reason (access-logged)."""
        obj = self.get_object(request, unquote(object_id))  # scoped: 404 outside scope
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if not request.user.has_perm(pii.REVEAL_PERMISSION):
            raise PermissionDenied
        form = RevealForm(request.POST or None)
        value = None
        if request.method == "POST" and form.is_valid():
            try:
                value = pii.reveal(
                    actor=request.user,
                    obj=obj,
                    field_name=form.cleaned_data["field"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error("reason", exc.messages[0])
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": obj,
            "title": _("Reveal protected data"),
            "form": form,
            "value": value,
            "revealed_label": dict(RevealForm.FIELD_CHOICES).get(form.cleaned_data.get("field"))
            if value is not None
            else None,
            "change_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
            ),
        }
        response = TemplateResponse(request, "admin/members/reveal.html", context)
        response["Cache-Control"] = "no-store"
        return response


class PersonAdminMixin(RevealMixin):
    """Masked columns, new-value inputs, reveal page and blind-index search for a person."""

    form = PersonAdminForm

    @admin.display(description=_("resident ID number"))
    def id_number_masked(self, obj):
        return pii.display(obj, "id_number") or self.get_empty_value_display()

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return pii.display(obj, "phone") or self.get_empty_value_display()

    @admin.display(description=_("ID number warnings"))
    def id_number_warnings_display(self, obj):
        warnings = obj.id_number_warnings if obj is not None else []
        return "；".join(warnings) if warnings else self.get_empty_value_display()

    # --- saving: new values go in through the service ----------------------------------------

    def _call_service(self, request, form):
        new = {name: form.cleaned_data.get(f"new_{name}") for name in PROTECTED}
        new = {name: value for name, value in new.items() if value}
        instance = form.instance
        try:
            if instance.pk is None or instance._state.adding:
                data = _model_data(self.model, form.cleaned_data, form.cleaned_data.keys())
                return self.services.do_create(actor=request.user, data={**data, **new})
            fresh = self.model._default_manager.get(pk=instance.pk)
            data = _model_data(self.model, form.cleaned_data, form.changed_data)
            return self.services.do_update(actor=request.user, instance=fresh, data={**data, **new})
        except ValidationError as exc:
            raise self._form_errors(form, exc) from None

    @staticmethod
    def _form_errors(form, exc: ValidationError) -> ValidationError:
        """Errors keyed by the form's fields (an ID error belongs to the new-ID input)."""
        if not hasattr(exc, "error_dict"):
            return exc
        out: dict[str, list] = {}
        for key, errors in exc.error_dict.items():
            target = f"new_{key}" if key in PROTECTED else key
            if target != NON_FIELD_ERRORS and target not in form.fields:
                target = NON_FIELD_ERRORS
            out.setdefault(target, []).extend(errors)
        return ValidationError(out)

    # --- searching by name, or by an exact ID / phone ----------------------------------------

    @staticmethod
    def _search_token(term: str) -> str | None:
        """The blind-index token of a search for an exact ID or phone, else ``None``."""
        if _ID_RE.match(term):
            return TOKEN_PREFIX + pii.blind_index(term, kind=pii.RESIDENT_ID)
        digits = pii.normalize_phone(term)
        if _PHONE_RE.match(term) and len(digits) == 11:
            return TOKEN_PREFIX + pii.blind_index(digits, kind=pii.PHONE)
        return None

    def changelist_view(self, request, extra_context=None):
        # A typed ID or phone comes back as its token, so neither the search box, nor the
        # row links' preserved filters, nor the pagination carry the plaintext.
        token = self._search_token(request.GET.get(SEARCH_VAR, "").strip())
        if token:
            query = request.GET.copy()
            query[SEARCH_VAR] = token
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").strip()
        if _TOKEN_RE.match(term):
            index = term[len(TOKEN_PREFIX) :]
            return queryset.filter(Q(id_number_index=index) | Q(phone_index=index)), False
        if _ID_RE.match(term):
            return queryset.filter(pii.protected_lookup(self.model, "id_number", term)), False
        digits = pii.normalize_phone(term)
        if _PHONE_RE.match(term) and len(digits) == 11:
            return queryset.filter(pii.protected_lookup(self.model, "phone", digits)), False
        return super().get_search_results(request, queryset, search_term)


class RevealForm(forms.Form):
    FIELD_CHOICES = (("id_number", _("resident ID number")), ("phone", _("phone")))

    field = forms.ChoiceField(label=_("Value to reveal"), choices=FIELD_CHOICES)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why you need the full value; it is written to the access log."),
    )
