"""The admin of party members and their transfer letters (scoped; writes through
``members.services.people``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organizations.admin import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from ..choices import TransferLetterStatus
from ..models import (
    PartyMember,
    TransferLetter,
)
from ..services import people
from ..views.roster_import import (
    MEMBERS,
)
from .identity import PersonAdminMixin
from .roster_import import RosterImportAdminMixin


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
