"""The admin face of the whistles, on :class:`~organizations.scoped.ScopedModelAdmin`: lists,
change views and choices scoped; saves through ``ecosystem.whistles.services``. A whistle is
raised here (routed with the departments chosen); its steps (report, resolve, close) happen on
the portal's whistle page or through the API, so assignments and events are read-only here."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organizations.admin import CityWideWritesMixin
from organizations.inlines import ScopedReadOnlyInline
from organizations.models import Department
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .models import ChainEnterprise, IndustryChain, Policy, Whistle, WhistleAssignment, WhistleEvent

__all__ = ["ChainEnterpriseAdmin", "IndustryChainAdmin", "PolicyAdmin", "WhistleAdmin"]


@admin.register(IndustryChain)
class IndustryChainAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "committee", "sort_order")
    search_fields = ("name", "code")
    list_select_related = ("committee",)
    fields = ("code", "name", "committee", "sort_order")
    services = ServiceSet.of(services, "industry_chain")


@admin.register(ChainEnterprise)
class ChainEnterpriseAdmin(ScopedModelAdmin):
    list_display = ("name", "chain", "region", "is_leader", "party_organization")
    list_filter = ("chain", "is_leader")
    search_fields = ("name", "uscc")
    list_select_related = ("chain", "region", "party_organization")
    autocomplete_fields = ("region", "party_organization", "enterprise")
    fields = ("chain", "name", "uscc", "region", "is_leader", "party_organization", "enterprise")
    services = ServiceSet.of(services, "chain_enterprise")


@admin.register(Policy)
class PolicyAdmin(CityWideWritesMixin, ScopedModelAdmin):
    # Published reference data (every signed-in user reads it, as on the API); city-wide
    # staff maintain it.
    list_display = ("title", "category", "department", "issued_on")
    list_filter = ("category",)
    search_fields = ("title",)
    list_select_related = ("department",)
    fields = ("title", "category", "department", "issued_on", "summary", "url")
    services = ServiceSet.of(services, "policy")


class AssignmentInline(ScopedReadOnlyInline):
    model = WhistleAssignment
    fields = (
        "department",
        "status",
        "due_at",
        "escalations",
        "supervisor",
        "outcome",
        "loan_amount",
        "talents_introduced",
        "approval_obtained",
    )
    readonly_fields = fields
    max_num = 0


class EventInline(ScopedReadOnlyInline):
    model = WhistleEvent
    fields = ("at", "kind", "assignment", "actor", "note")
    readonly_fields = fields
    max_num = 0


class WhistleAdminForm(forms.ModelForm):
    departments = forms.ModelMultipleChoiceField(
        label=_("Route to departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Whistle
        fields = ("enterprise", "raised_by", "category", "title", "description")


@admin.register(Whistle)
class WhistleAdmin(ScopedModelAdmin):
    """Raise a whistle (routed at once to the departments chosen); read its steps."""

    form = WhistleAdminForm
    list_display = ("reference", "title", "chain", "enterprise", "category", "status", "raised_at")
    list_filter = ("status", "category", "chain")
    search_fields = ("reference", "title", "enterprise__name")
    list_select_related = ("chain", "enterprise")
    date_hierarchy = "raised_at"
    inlines = (AssignmentInline, EventInline)
    services = ServiceSet.of(services, "whistle")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("enterprise", "raised_by", "category", "title", "description", "departments")
        return (
            "reference",
            "chain",
            "enterprise",
            "raised_by",
            "category",
            "title",
            "description",
            "raised_at",
            "status",
            "closed_at",
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    def get_inlines(self, request, obj):
        return () if obj is None else self.inlines

    def _call_service(self, request, form):
        if form.instance.pk is None:
            names = ("enterprise", "raised_by", "category", "title", "description")
            return services.whistle_raise(
                actor=request.user,
                data={n: form.cleaned_data[n] for n in names if n in form.cleaned_data},
                departments=form.cleaned_data.get("departments") or [],
            )
        return super()._call_service(request, form)

    def has_change_permission(self, request, obj=None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
