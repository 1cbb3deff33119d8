"""The admin face of stations, on :class:`~organizations.scoped.ScopedModelAdmin`: lists, change
views, choices and inlines are scoped; station saves go through ``services``; the compliance
verdict is re-derived after the facility rows are saved."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_mixins import ReadOnlyAdminMixin
from organizations.admin import CityWideWritesMixin
from organizations.inlines import ScopedServiceInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .choices import Principle
from .models import (
    CabinetStock,
    CheckIn,
    Facility,
    HotSpotCell,
    MedicineCabinet,
    OpeningHours,
    Restock,
    ServiceCircleSnapshot,
    Station,
    StationFacility,
    SuggestedSite,
)


@admin.register(Facility)
class FacilityAdmin(CityWideWritesMixin, ScopedModelAdmin):
    list_display = ("code", "name", "required", "warm", "cool", "rest", "medicine", "sort_order")
    list_filter = ("required",)
    search_fields = ("code", "name")


class StationFacilityInline(ScopedServiceInline):
    model = StationFacility
    services = ServiceSet.of(services, "station_facility")
    fields = ("facility", "note")


class OpeningHoursInline(ScopedServiceInline):
    model = OpeningHours
    services = ServiceSet.of(services, "opening_hours")
    fields = ("weekday", "opens", "closes")


class CabinetInline(ScopedServiceInline):
    model = MedicineCabinet
    services = ServiceSet.of(services, "cabinet")
    fields = ("code", "is_24h", "active")
    show_change_link = True


@admin.register(Station)
class StationAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "region", "status", "is_24h", "compliant")
    list_filter = ("kind", "status", "compliant", "is_24h", "region")
    search_fields = ("name", "address")
    list_select_related = ("region",)
    autocomplete_fields = ("host_enterprise", "host_organization", "region")
    filter_horizontal = ("industries",)
    fields = (
        "name",
        "kind",
        "host_enterprise",
        "host_organization",
        "region",
        "address",
        "latitude",
        "longitude",
        "is_24h",
        "industries",
        "status",
        "compliant",
        "missing",
    )
    readonly_fields = ("compliant", "missing")
    inlines = (StationFacilityInline, OpeningHoursInline, CabinetInline)
    services = ServiceSet.of(services, "station")

    @admin.display(description=_("what the 6+X standard still needs"))
    def missing(self, obj) -> str:
        if obj is None or obj.pk is None:
            return self.get_empty_value_display()
        result = services.station_verdict(obj)
        if result.compliant:
            return str(_("Nothing: the station meets the standard."))
        names = dict(Facility.objects.values_list("code", "name"))
        parts = [names.get(c, c) for c in result.missing_facilities]
        parts += [str(Principle(p).label) for p in result.missing_principles]
        return "、".join(parts)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.station_refresh_compliance(station=form.instance)


class CabinetStockInline(ScopedServiceInline):
    model = CabinetStock
    services = ServiceSet.of(services, "stock")
    fields = ("name", "quantity", "threshold")


@admin.register(MedicineCabinet)
class MedicineCabinetAdmin(ScopedModelAdmin):
    list_display = ("code", "station", "is_24h", "active")
    list_filter = ("is_24h", "active")
    search_fields = ("code", "station__name")
    list_select_related = ("station",)
    autocomplete_fields = ("station",)
    inlines = (CabinetStockInline,)
    services = ServiceSet.of(services, "cabinet")


class LowStockFilter(admin.SimpleListFilter):
    title = _("stock level")
    parameter_name = "low"

    def lookups(self, request, model_admin):
        return (("1", _("Low (below the threshold)")),)

    def queryset(self, request, queryset):
        return queryset.filter(quantity__lt=F("threshold")) if self.value() == "1" else queryset


@admin.register(CabinetStock)
class CabinetStockAdmin(ScopedModelAdmin):
    list_display = ("cabinet", "name", "quantity", "threshold", "is_low")
    list_filter = (LowStockFilter,)
    search_fields = ("name", "cabinet__code", "cabinet__station__name")
    list_select_related = ("cabinet",)
    autocomplete_fields = ("cabinet",)
    actions = ("restock_to_twice_threshold",)
    services = ServiceSet.of(services, "stock")

    @admin.display(description=_("low"), boolean=True)
    def is_low(self, obj) -> bool:
        return obj.is_low

    @admin.action(description=_("Restock to twice the threshold"), permissions=["change"])
    def restock_to_twice_threshold(self, request, queryset):
        done = 0
        for stock in queryset:
            wanted = 2 * stock.threshold - stock.quantity
            if wanted < 1:
                continue
            try:
                services.cabinet_restock(actor=request.user, stock=stock, quantity=wanted)
            except ValidationError as exc:
                self.message_user(request, f"{stock}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d item was restocked.", "%(count)d items were restocked.", done)
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Restock)
class RestockAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("stock", "quantity", "by", "at")
    list_select_related = ("stock", "stock__cabinet", "by")
    date_hierarchy = "at"


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("station", "worker", "channel", "at")
    list_filter = ("channel",)
    list_select_related = ("station", "worker")
    search_fields = ("station__name",)
    date_hierarchy = "at"


@admin.register(ServiceCircleSnapshot)
class ServiceCircleSnapshotAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("date", "region", "industry", "facility", "numerator", "denominator")
    list_filter = ("date", "mode")
    list_select_related = ("region", "industry", "facility")


@admin.register(HotSpotCell)
class HotSpotCellAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("cell", "workers", "region", "job")
    list_select_related = ("region",)


@admin.register(SuggestedSite)
class SuggestedSiteAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("rank", "cell", "newly_covered", "region", "job")
    list_select_related = ("region",)
