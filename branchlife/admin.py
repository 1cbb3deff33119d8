"""The admin face of organization life on :class:`~organizations.scoped.ScopedModelAdmin`:
lists, change views and choices scoped by organization; saves and deletes through
``services`` (so each is audited). A payment is recorded with the months it covers and never
edited (strike it and record it again)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.inlines import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .models import (
    DuesDeclaration,
    DuesHandover,
    DuesMonth,
    DuesPayment,
    Election,
    Evaluation,
    Meeting,
    MeetingPhoto,
    Participation,
)


class ParticipationInline(ScopedReadOnlyInline):
    model = Participation
    fields = ("member", "status", "leave_reason", "checked_in_at", "channel")
    readonly_fields = fields
    select_related = ("member",)
    show_change_link = False


class MeetingPhotoInline(ScopedReadOnlyInline):
    """The meeting's photos, shown through the scoped portal view (never a storage URL); they
    are added and removed on the meeting's portal page."""

    model = MeetingPhoto
    fields = ("preview", "content_type", "width", "height", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    select_related = ("uploaded_by",)
    show_change_link = False

    @admin.display(description=_("photo"))
    def preview(self, obj: MeetingPhoto) -> str:
        if not obj.pk:
            return ""
        url = reverse("branchlife:meeting-photo", args=[obj.pk])
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" class="admin-thumb" width="80"></a>',
            url,
            url,
            gettext("Meeting photo %(n)s") % {"n": obj.pk},
        )


@admin.register(Meeting)
class MeetingAdmin(ScopedModelAdmin):
    list_display = ("title", "organization", "kind", "starts_at", "status", "place_kind")
    list_filter = ("kind", "status", "place_kind")
    search_fields = ("title", "organization__name")
    list_select_related = ("organization",)
    date_hierarchy = "starts_at"
    readonly_fields = ("check_in_code",)
    autocomplete_fields = ("organization",)
    raw_id_fields = ("station", "party_lesson")
    inlines = [ParticipationInline, MeetingPhotoInline]
    services = ServiceSet.of(services, "meeting")


@admin.register(Evaluation)
class EvaluationAdmin(ScopedModelAdmin):
    list_display = ("member", "organization", "year", "rating")
    list_filter = ("year", "rating")
    search_fields = ("member__name", "member__member_id")
    list_select_related = ("member", "organization")
    raw_id_fields = ("member", "meeting")
    autocomplete_fields = ("organization",)
    services = ServiceSet.of(services, "evaluation")


@admin.register(DuesDeclaration)
class DuesDeclarationAdmin(ScopedModelAdmin):
    list_display = ("member", "year", "category", "monthly_income", "monthly_standard")
    list_filter = ("year", "category")
    search_fields = ("member__name", "member__member_id")
    list_select_related = ("member",)
    raw_id_fields = ("member",)
    readonly_fields = ("monthly_standard",)
    services = ServiceSet.of(services, "declaration")


class DuesMonthInline(ScopedReadOnlyInline):
    model = DuesMonth
    fields = ("month", "amount", "standard", "below_standard")
    readonly_fields = fields
    show_change_link = False


class PaymentForm(forms.ModelForm):
    months = forms.CharField(
        label=_("months covered"),
        help_text=_("Year and month, separated by commas: 2026-01, 2026-02."),
    )

    class Meta:
        model = DuesPayment
        fields = ("member", "amount", "channel", "receipt_number", "paid_on")

    def clean_months(self) -> list[dt.date]:
        out = []
        for part in self.cleaned_data["months"].replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                year, month = (int(x) for x in part.split("-")[:2])
                out.append(dt.date(year, month, 1))
            except ValueError:
                raise ValidationError(
                    gettext("“%(value)s” is not a month like 2026-01.") % {"value": part}
                ) from None
        return out


@admin.register(DuesPayment)
class DuesPaymentAdmin(ScopedModelAdmin):
    list_display = ("member", "organization", "paid_on", "amount", "channel", "below_standard")
    list_filter = ("channel", "below_standard")
    search_fields = ("member__name", "member__member_id", "receipt_number")
    list_select_related = ("member", "organization")
    date_hierarchy = "paid_on"
    raw_id_fields = ("member",)
    inlines = [DuesMonthInline]
    services = ServiceSet.of(services, "payment")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PaymentForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # recorded payments are struck, never edited
            return ("member", "organization", "amount", "channel", "receipt_number", "paid_on")
        return ()

    def _call_service(self, request, form):
        if form.instance.pk is None:
            data = {
                k: form.cleaned_data.get(k)
                for k in ("member", "amount", "channel", "receipt_number", "paid_on", "months")
            }
            return self.services.do_create(actor=request.user, data=data)
        return super()._call_service(request, form)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)


@admin.register(DuesHandover)
class DuesHandoverAdmin(ScopedModelAdmin):
    list_display = ("organization", "to_organization", "month", "amount", "handed_on")
    list_select_related = ("organization", "to_organization")
    autocomplete_fields = ("organization", "to_organization")
    services = ServiceSet.of(services, "handover")


@admin.register(Election)
class ElectionAdmin(ScopedModelAdmin):
    list_display = ("organization", "held_on", "secretary_name", "term_ends_on")
    search_fields = ("organization__name", "secretary_name")
    list_select_related = ("organization",)
    date_hierarchy = "held_on"
    autocomplete_fields = ("organization",)
    services = ServiceSet.of(services, "election")
