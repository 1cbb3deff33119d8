"""The admin face of the pipeline, on :class:`~organizations.scoped.ScopedModelAdmin`: lists,
change views and choices are scoped (by the developing organization); an application is saved
through ``candidate_create`` (which writes step 1), corrections through ``candidate_update``.
Steps are shown, never edited here: they are recorded on the portal's candidate page or the
API, through ``step_record``. ID numbers and phones are masked (members' person admin)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_mixins import ReadOnlyAdminMixin
from members.admin.identity import PersonAdminMixin
from organizations.inlines import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services, steps
from .models import Candidate, Step
from .presentation import describe_details


class StepInline(ScopedReadOnlyInline):
    model = Step
    fields = ("number", "code", "on", "details_display", "note", "actor")
    readonly_fields = ("details_display",)
    select_related = ("actor",)
    show_change_link = False

    @admin.display(description=_("Details"))
    def details_display(self, obj):
        return describe_details(obj.details) or "—"


@admin.register(Candidate)
class CandidateAdmin(PersonAdminMixin, ScopedModelAdmin):
    list_display = (
        "name",
        "id_number_masked",
        "stage",
        "last_step",
        "last_step_on",
        "organization",
        "industry",
        "applied_on",
    )
    list_filter = ("stage", "industry", "organization")
    search_fields = ("name",)
    list_select_related = ("organization", "industry")
    autocomplete_fields = ("worker", "organization", "region")
    inlines = (StepInline,)
    services = ServiceSet.of(services, "candidate")
    ordering = ("-applied_on", "-id")

    def get_fields(self, request, obj=None):
        fields = [
            "worker",
            "name",
            "new_id_number",
            "new_phone",
            "organization",
            "industry",
            "region",
            "applied_on",
        ]
        if obj is not None:
            fields[2:2] = ["id_number_masked", "phone_masked"]
            fields += ["stage", "last_step", "last_step_on", "member", "next_step"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "worker",
            "id_number_masked",
            "phone_masked",
            "organization",
            "applied_on",
            "stage",
            "last_step",
            "last_step_on",
            "member",
            "next_step",
        )

    @admin.display(description=_("Next step"))
    def next_step(self, obj):
        """The step to record next, linked to the portal page where it is recorded."""
        allowed = steps.next_steps(obj.last_step) if obj is not None else []
        if not allowed:
            return self.get_empty_value_display()
        url = reverse("recruitment:candidate_detail", args=[obj.pk])
        names = "、".join(f"{s.number}. {s.label}" for s in allowed)
        return format_html('<a href="{}">{}</a>', url, names)


@admin.register(Step)
class StepAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("candidate", "number", "code", "on", "details_display", "actor", "recorded_at")
    exclude = ("details",)
    readonly_fields = ("details_display",)
    list_filter = ("code",)
    search_fields = ("candidate__name",)
    list_select_related = ("candidate", "actor")
    date_hierarchy = "on"

    @admin.display(description=_("Details"))
    def details_display(self, obj):
        return describe_details(obj.details) or "—"
