"""The admin face of workers, party members, transfer letters and the two finds.

Built on :class:`~organizations.scoped.ScopedModelAdmin`: lists, change views, FK choices and
filters are scoped; saves go through ``members.services.people``. Resident IDs and phones never
reach the page in clear: lists and forms show the masked value, a form takes a *new* value in
an input that never renders one (empty keeps the stored value), and the full value comes only
from the "reveal" page, for users with ``core.reveal_pii``, with a reason, written to the
access log. Searching by an exact ID or phone goes through the blind index.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from core import pii
from core.identity import check_resident_id
from organizations.admin import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin, ServiceSet, _model_data

from .choices import TransferLetterStatus
from .filtersets import _TOKEN_RE, TOKEN_PREFIX
from .models import Case, CaseEvent, MatchProposal, MemberClaim, PartyMember, TransferLetter, Worker
from .services import people
from .views.roster_import import (
    MEMBERS,
    ROSTERS,
    WORKERS,
    InMemoryUploadHandler,
    roster_import_flow,
)

PROTECTED = ("id_number", "phone")
_ID_RE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
_PHONE_RE = re.compile(r"^\+?\d[\d\- ]{6,}$")


# --- masked identity on forms and lists ------------------------------------------------------


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


# --- workers -----------------------------------------------------------------------------------


# --- roster import (upload → preview → confirm, through members.services.intake) -----------


class RosterImportAdminMixin:
    """Adds ``<model>/import/`` (upload → preview → confirm) and an "Import" button to a
    changelist. ``roster_kind`` picks the roster (workers or party members)."""

    roster_kind: str = WORKERS

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        protected = self.admin_site.admin_view(self.import_view)  # staff check and CSRF

        @csrf_exempt  # checked by ``protected``, after the upload handlers are replaced
        def view(request, *args, **kwargs):
            # The upload stays in memory (never a temporary file), see views.roster_import.
            request.upload_handlers = [InMemoryUploadHandler(request)]
            return protected(request, *args, **kwargs)

        return [path("import/", view, name=f"{info[0]}_{info[1]}_import"), *super().get_urls()]

    def import_view(self, request):
        return roster_import_flow(
            request,
            template="admin/members/roster_import.html",
            only=self.roster_kind,
            context={
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": self.import_title(),
            },
        )

    def import_title(self) -> str:
        return gettext("Import %(things)s") % {"things": self.model._meta.verbose_name_plural}

    def changelist_view(self, request, extra_context=None):
        can_import = request.user.has_perms(ROSTERS[self.roster_kind][1])
        return super().changelist_view(
            request, extra_context={**(extra_context or {}), "can_import": can_import}
        )


@admin.register(Worker)
class WorkerAdmin(RosterImportAdminMixin, PersonAdminMixin, ScopedModelAdmin):
    roster_kind = WORKERS
    change_list_template = "admin/members/worker/change_list.html"
    list_display = (
        "name",
        "id_number_masked",
        "phone_masked",
        "industry",
        "enterprise",
        "platform",
        "region",
        "political_status",
        "active",
        "source",
        "external_id",
    )
    list_filter = ("industry", "region", "platform", "political_status", "active", "source_kind")
    search_fields = ("name", "external_id")
    list_select_related = ("industry", "enterprise", "platform", "region")
    autocomplete_fields = ("enterprise", "platform", "region")
    readonly_fields = (
        "id_number_masked",
        "id_number_warnings_display",
        "phone_masked",
        "gender",
        "birth_date",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    ("id_number_masked", "new_id_number"),
                    "id_number_warnings_display",
                    ("phone_masked", "new_phone"),
                    ("gender", "birth_date"),
                    "political_status",
                )
            },
        ),
        (
            _("Work"),
            {
                "fields": (
                    "industry",
                    "enterprise",
                    "platform",
                    "region",
                    ("work_lat", "work_lng"),
                    "active",
                )
            },
        ),
        (
            _("Source roster"),
            {"fields": ("source", "source_kind", "external_id", "first_seen", "last_seen")},
        ),
    )
    services = ServiceSet.of(people, "worker")


# --- party members and transfer letters ------------------------------------------------------


class TransferLetterInline(ScopedReadOnlyInline):
    model = TransferLetter
    fields = (
        "letter_number",
        "to_organization",
        "to_organization_name",
        "status",
        "issued_on",
        "valid_until",
        "closed_on",
    )
    select_related = ("to_organization",)


def _run_each(modeladmin, request, queryset, service, done_message) -> None:
    """Apply a per-object service, reporting each refusal and the count done."""
    done = 0
    for obj in queryset:
        try:
            service(obj)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)


def _count_message(done: int):
    return ngettext("%(count)d record was changed.", "%(count)d records were changed.", done) % {
        "count": done
    }


@admin.register(PartyMember)
class PartyMemberAdmin(RosterImportAdminMixin, PersonAdminMixin, ScopedModelAdmin):
    roster_kind = MEMBERS
    change_list_template = "admin/members/partymember/change_list.html"
    list_display = (
        "member_id",
        "name",
        "id_number_masked",
        "phone_masked",
        "status",
        "organization",
        "home_organization_name",
        "host_organization",
        "is_mobile",
        "lost_contact_since",
        "activity_card_number",
        "latest_letter",
    )
    list_filter = (
        "status",
        "is_mobile",
        "organization",
        "host_organization",
        ("lost_contact_since", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "member_id")
    list_select_related = ("organization", "host_organization")
    autocomplete_fields = ("organization", "host_organization", "region")
    readonly_fields = (
        "id_number_masked",
        "id_number_warnings_display",
        "phone_masked",
        "gender",
        "birth_date",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "member_id",
                    "name",
                    ("id_number_masked", "new_id_number"),
                    "id_number_warnings_display",
                    ("phone_masked", "new_phone"),
                    ("gender", "birth_date"),
                    "status",
                    ("joined_on", "probation_due"),
                )
            },
        ),
        (
            _("Membership relation"),
            {
                "fields": (
                    "organization",
                    "is_mobile",
                    "home_organization_name",
                    "host_organization",
                    "lost_contact_since",
                    "region",
                    "industry",
                )
            },
        ),
        (
            _("Activity card"),
            {
                "fields": (
                    "activity_card_number",
                    ("activity_card_issued_on", "activity_card_reviewed_on"),
                )
            },
        ),
    )
    inlines = (TransferLetterInline,)
    actions = ("suspend", "restore", "make_full")
    services = ServiceSet.of(people, "member")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        # The status is set on entry; afterwards it moves only through the actions.
        return (*readonly, "status") if obj is not None else readonly

    def get_queryset(self, request):
        latest = (
            TransferLetter.objects.filter(member=OuterRef("pk"))
            .order_by("-created_at", "-id")
            .values("status")[:1]
        )
        return super().get_queryset(request).annotate(latest_letter_status=Subquery(latest))

    @admin.display(description=_("latest transfer letter"))
    def latest_letter(self, obj):
        status = getattr(obj, "latest_letter_status", None)
        return TransferLetterStatus(status).label if status else self.get_empty_value_display()

    @admin.action(
        description=_("Suspend membership (6+ months out of contact)"), permissions=["change"]
    )
    def suspend(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda m: people.member_suspend(actor=request.user, member=m),
            _count_message,
        )

    @admin.action(description=_("Restore suspended membership"), permissions=["change"])
    def restore(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda m: people.member_restore(actor=request.user, member=m),
            _count_message,
        )

    @admin.action(description=_("Confirm probationary members as full"), permissions=["change"])
    def make_full(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda m: people.member_make_full(actor=request.user, member=m),
            _count_message,
        )


class LetterIssueForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )


@admin.register(TransferLetter)
class TransferLetterAdmin(ScopedModelAdmin):
    list_display = (
        "member",
        "from_organization_name",
        "to_organization",
        "to_organization_name",
        "status",
        "letter_number",
        "issued_on",
        "valid_until",
        "closed_on",
    )
    list_filter = ("status", ("valid_until", admin.DateFieldListFilter))
    search_fields = ("member__name", "member__member_id", "letter_number")
    list_select_related = ("member", "to_organization")
    autocomplete_fields = ("member", "to_organization")
    fields = (
        "member",
        "from_organization_name",
        "to_organization",
        "to_organization_name",
        "letter_number",
        "note",
        "status",
        "issued_on",
        "valid_until",
        "closed_on",
    )
    readonly_fields = ("status", "issued_on", "valid_until", "closed_on")
    actions = ("issue", "receive", "return_letters")
    services = ServiceSet.of(people, "letter")

    def has_change_permission(self, request, obj=None) -> bool:
        # Only a draft is edited; issued letters move through the actions.
        if obj is not None and obj.status != TransferLetterStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != TransferLetterStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Issue the selected draft letters"), permissions=["change"])
    def issue(self, request, queryset):
        form = LetterIssueForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            valid_until = form.cleaned_data["valid_until"]
            _run_each(
                self,
                request,
                queryset,
                lambda letter: people.letter_issue(
                    actor=request.user, letter=letter, valid_until=valid_until
                ),
                _count_message,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Issue transfer letters"),
            "form": form,
            "letters": queryset,
            "action": "issue",
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/members/letter_issue.html", context)

    @admin.action(description=_("Record the selected letters as received"), permissions=["change"])
    def receive(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda letter: people.letter_receive(actor=request.user, letter=letter),
            _count_message,
        )

    @admin.action(description=_("Record the selected letters as returned"), permissions=["change"])
    def return_letters(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda letter: people.letter_return(actor=request.user, letter=letter),
            _count_message,
        )


# --- the two finds: read-only here (the review queue and the case flow have their pages) -------


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MatchProposal)
class MatchProposalAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("worker", "member", "rule", "score", "status", "decided_at", "created_at")
    list_filter = ("status", "rule")
    search_fields = ("worker__name", "member__name", "member__member_id")
    list_select_related = ("worker", "member")
    fields = (
        "worker",
        "member",
        "rule",
        "score",
        "evidence",
        "status",
        "decided_by",
        "decided_at",
        "created_at",
    )


class CaseEventInline(ScopedReadOnlyInline):
    model = CaseEvent
    fields = ("at", "from_status", "to_status", "actor_label", "note")
    show_change_link = False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("id", "status", "origin", "worker", "member", "organization", "owner", "due_on")
    list_filter = ("status", "origin", ("due_on", admin.DateFieldListFilter))
    search_fields = ("worker__name", "member__name", "member__member_id")
    list_select_related = ("worker", "member", "organization", "owner")
    fields = (
        "origin",
        "status",
        "worker",
        "member",
        "proposal",
        "claim",
        "organization",
        "region",
        "industry",
        "owner",
        "due_on",
        "created_at",
        "closed_at",
    )
    inlines = (CaseEventInline,)


@admin.register(MemberClaim)
class MemberClaimAdmin(RevealMixin, ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = (
        "reference",
        "channel",
        "name",
        "id_number_masked",
        "phone_masked",
        "home_organization_name",
        "employer_name",
        "created_at",
    )
    list_filter = ("channel",)
    search_fields = ("reference", "name")
    fields = (
        "reference",
        "channel",
        "name",
        "id_number_masked",
        "phone_masked",
        "home_organization_name",
        "employer_name",
        "enterprise",
        "industry",
        "region",
        "work_place",
        "created_at",
    )
    readonly_fields = ("id_number_masked", "phone_masked", "created_at")

    @admin.display(description=_("resident ID number"))
    def id_number_masked(self, obj):
        return pii.display(obj, "id_number")

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return pii.display(obj, "phone")
