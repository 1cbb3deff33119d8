"""The admin's roster import (upload → preview → confirm), through ``members.services.intake``
(the same flow as the portal page, :mod:`members.views.roster_import`)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from ..views.roster_import import (
    ROSTERS,
    WORKERS,
    InMemoryUploadHandler,
    roster_import_flow,
)


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
