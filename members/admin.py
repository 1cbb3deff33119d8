"""The admin face of members (minimal here: the roster import; lists and edits live with the
people admin). Imports go through ``members.services.intake`` like every other door."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from core import pii
from organizations.scoped import ScopedModelAdmin

from .models import PartyMember, Worker
from .views_import import MEMBERS, ROSTERS, WORKERS, InMemoryUploadHandler, roster_import_flow


class RosterImportAdminMixin:
    """Adds ``<model>/import/`` (upload → preview → confirm) and an "Import" button to a
    changelist. ``roster_kind`` picks the roster (workers or party members)."""

    roster_kind: str = WORKERS

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        protected = self.admin_site.admin_view(self.import_view)  # staff check and CSRF

        @csrf_exempt  # checked by ``protected``, after the upload handlers are replaced
        def view(request, *args, **kwargs):
            # The upload stays in memory (never a temporary file), see views_import.
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


class _ViewOnlyAdmin(ScopedModelAdmin):
    """Until the people admin lands: scoped, read-only pages (writes go through services);
    protected values only masked."""

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj) -> str:
        return pii.display(obj, "id_number")

    @admin.display(description=_("phone"))
    def masked_phone(self, obj) -> str:
        return pii.display(obj, "phone")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Worker)
class WorkerAdmin(RosterImportAdminMixin, _ViewOnlyAdmin):
    roster_kind = WORKERS
    change_list_template = "admin/members/worker/change_list.html"
    list_display = ("name", "source", "external_id", "industry", "region", "political_status")
    list_select_related = ("industry", "region")
    search_fields = ("name", "external_id")
    fields = (
        "name",
        "masked_id_number",
        "masked_phone",
        "source",
        "external_id",
        "industry",
        "enterprise",
        "platform",
        "region",
        "political_status",
        "active",
        "last_seen",
    )
    readonly_fields = fields


@admin.register(PartyMember)
class PartyMemberAdmin(RosterImportAdminMixin, _ViewOnlyAdmin):
    roster_kind = MEMBERS
    change_list_template = "admin/members/partymember/change_list.html"
    list_display = ("name", "member_id", "status", "organization", "is_mobile")
    list_select_related = ("organization",)
    search_fields = ("name", "member_id")
    fields = (
        "name",
        "member_id",
        "masked_id_number",
        "masked_phone",
        "status",
        "organization",
        "home_organization_name",
        "host_organization",
        "is_mobile",
        "joined_on",
    )
    readonly_fields = fields
