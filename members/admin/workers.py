"""The admin of workers (scoped; saves through ``members.services.people``)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organizations.scoped import ScopedModelAdmin, ServiceSet

from ..models import (
    Worker,
)
from ..services import people
from ..views.roster_import import (
    WORKERS,
)
from .identity import PersonAdminMixin
from .roster_import import RosterImportAdminMixin


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
