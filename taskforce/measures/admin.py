"""Admins of the 18 measures (registered by ``taskforce.admin``)."""

from __future__ import annotations

from django.contrib import admin

from organizations.inlines import ScopedReadOnlyInline
from organizations.scoped import ScopedModelAdmin, ServiceSet

from . import services
from .models import Indicator, IndicatorReport, Measure


class IndicatorInline(ScopedReadOnlyInline):
    model = Indicator
    fields = ("year", "name", "measure_unit", "target", "cumulative", "department")
    readonly_fields = fields


@admin.register(Measure)
class MeasureAdmin(ScopedModelAdmin):
    list_display = ("policy", "lead_unit")
    list_select_related = ("policy", "lead_unit")
    fields = ("policy", "text", "lead_unit", "responsible_units")
    filter_horizontal = ("responsible_units",)
    inlines = (IndicatorInline,)
    services = ServiceSet.of(services, "measure")


@admin.register(Indicator)
class IndicatorAdmin(ScopedModelAdmin):
    list_display = ("name", "measure", "year", "target", "measure_unit", "department")
    list_filter = ("year", "department")
    list_select_related = ("measure__policy", "department")
    search_fields = ("name",)
    fields = ("measure", "year", "name", "measure_unit", "target", "cumulative", "department")
    services = ServiceSet.of(services, "indicator")


@admin.register(IndicatorReport)
class IndicatorReportAdmin(ScopedModelAdmin):
    list_display = ("indicator", "quarter", "actual", "reported_by", "reported_at")
    list_filter = ("quarter",)
    list_select_related = ("indicator__measure__policy", "reported_by")
    fields = ("indicator", "quarter", "actual", "note")
    services = ServiceSet.of(services, "report")
