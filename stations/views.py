"""The browser face of stations: the list (with xlsx export), a station page, the service-circle
map, the low-stock list, and the public "find a station" page a worker opens on a phone.

Management pages are scoped (out of scope answers 404); the finder reads the public directory.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import geo
from core.figures import figure_id
from core.forms import style_inputs
from core.models import JobRun
from organizations import scoping
from organizations.choices import RegionLevel
from organizations.figures import figure_filter_from
from organizations.models import Region
from organizations.scoped import Column, ScopedListView

from . import circle, selectors, services
from .choices import Principle, StationStatus
from .filtersets import StationFilterSet
from .models import (
    CabinetStock,
    CheckIn,
    Facility,
    MedicineCabinet,
    Station,
)
from .selectors import MAX_RADIUS_M


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _host(station: Station) -> str:
    host = station.host_enterprise or station.host_organization
    return host.name if host else ""


STATION_COLUMNS = (
    Column(_label(Station, "name"), lambda s: s.name),
    Column(_label(Station, "kind"), lambda s: s.get_kind_display()),
    Column(_label(Station, "region"), lambda s: s.region.name),
    Column(_label(Station, "address"), lambda s: s.address),
    Column(_("Host"), _host),
    Column(_label(Station, "latitude"), lambda s: s.latitude),
    Column(_label(Station, "longitude"), lambda s: s.longitude),
    Column(_label(Station, "is_24h"), lambda s: s.is_24h),
    Column(_label(Station, "status"), lambda s: s.get_status_display()),
    Column(_label(Station, "compliant"), lambda s: s.compliant),
    Column(
        _label(Station, "facilities"),
        lambda s: "、".join(r.facility.name for r in s.facility_rows.all()),
    ),
)


def _tune(form) -> None:
    style_inputs(form, skip=())


class StationListView(ScopedListView):
    model = Station
    filterset_class = StationFilterSet
    template_name = "stations/station_list.html"
    export_columns = STATION_COLUMNS
    export_filename = "stations.xlsx"

    def base_queryset(self):
        return (
            Station.objects.select_related("region", "host_enterprise", "host_organization")
            .prefetch_related("facility_rows__facility")
            .order_by("name", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["filterset"] is not None:
            _tune(context["filterset"].form)
        context["figure"] = _list_figure(self.request.GET)
        return context


def _list_figure(params) -> str:
    """The dashboard figure this list's count is (``data-figure``): the active stations, or
    those meeting 6+X, of a region and industry; none for other filters."""
    chosen = {k for k, v in params.items() if v and k not in ("page", "format")}
    if params.get("status") != StationStatus.ACTIVE:
        return ""
    key = "stations_active"
    if "compliant" in chosen:
        if params.get("compliant") != "true":
            return ""
        key = "stations_compliant"
    if not chosen <= {"status", "compliant", "region", "industry"}:
        return ""
    where = figure_filter_from(params)
    return figure_id(key, where.region, where.industry)


station_list = StationListView.as_view()


@login_required
def station_detail(request, pk: int):
    station = get_object_or_404(selectors.stations_for(request.user), pk=pk)
    result = services.station_verdict(station)
    names = dict(Facility.objects.values_list("code", "name"))
    cabinets = (
        scoping.visible(MedicineCabinet, request.user)
        .filter(station=station)
        .prefetch_related("stock")
    )
    return render(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "verdict": result,
            "missing_facilities": [names.get(c, c) for c in result.missing_facilities],
            "missing_principles": [Principle(p).label for p in result.missing_principles],
            "facilities": [row.facility for row in station.facility_rows.all()],
            "hours": list(station.opening_hours.all()),
            "cabinets": cabinets,
            "check_in_count": scoping.visible(CheckIn, request.user)
            .filter(station=station)
            .count(),
        },
    )


class LowStockListView(ScopedListView):
    model = CabinetStock
    template_name = "stations/low_stock.html"
    export_columns = (
        Column(_("Cabinet"), lambda s: s.cabinet.code),
        Column(_("Station"), lambda s: s.cabinet.station.name),
        Column(_("Region"), lambda s: s.cabinet.station.region.name),
        Column(_label(CabinetStock, "name"), lambda s: s.name),
        Column(_label(CabinetStock, "quantity"), lambda s: s.quantity),
        Column(_label(CabinetStock, "threshold"), lambda s: s.threshold),
    )
    export_filename = "low-stock.xlsx"

    def get_queryset(self):
        return selectors.low_stock_for(self.request.user)


low_stock = LowStockListView.as_view()


@login_required
def circle_map(request):
    job = services.latest_circle_job()
    layers = selectors.circle_layers_for(request.user, job)
    shares = selectors.circle_shares_for(request.user, job)
    running = (
        JobRun.objects.filter(kind=services.CIRCLE_JOB, status__in=("queued", "running"))
        .order_by("-id")
        .first()
    )
    return render(
        request,
        "stations/map.html",
        {
            "layers": layers,
            "job": job,
            "running": running,
            "shares": shares,
            "tile_url": settings.PORTAL_MAP_TILE_URL,
            "map_config": {
                "tileUrl": settings.PORTAL_MAP_TILE_URL,
                "gcj02": settings.PORTAL_MAP_TILES_GCJ02,
                "center": [31.78, 119.95],
                "districtUrl": reverse("stations:list"),
                "labels": {
                    "uncovered": _("uncovered workers"),
                    "newlyCovered": _("newly covered"),
                    "districts": _("District outlines"),
                    "cells": _("Uncovered cells"),
                    "stations": _("Stations"),
                    "sites": _("Suggested sites"),
                    **geo.map_labels(),
                },
            },
            "can_run": scoping.is_city_wide(request.user),
            "radius_m": round(circle.travel_radius_m(services.circle_config())),
        },
    )


@login_required
@require_POST
def circle_run(request):
    try:
        job = services.service_circle_queue(
            actor=request.user, facility_code=request.POST.get("facility", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The service circle is being computed (job %(id)s).") % {"id": job.pk}
        )
    return redirect("stations:map")


# --- the public finder ---------------------------------------------------------------------


class RegionPicker(forms.ModelChoiceField):
    """Districts, each followed by its streets (indented)."""

    def label_from_instance(self, obj) -> str:
        return obj.name if obj.level == RegionLevel.DISTRICT else f"\u3000{obj.name}"


class FindForm(forms.Form):
    # Filled by "use my location" (the phone's WGS-84 position), never typed.
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    region = RegionPicker(
        label=_("District or street"),
        queryset=Region.objects.filter(
            level__in=(RegionLevel.DISTRICT, RegionLevel.STREET)
        ).order_by("path"),
        to_field_name="code",
        required=False,
        empty_label=_("Anywhere"),
    )
    q = forms.CharField(
        label=_("Station name or address"),
        required=False,
        max_length=60,
        widget=forms.SearchInput(attrs={"enterkeyhint": "search", "autocomplete": "off"}),
    )
    radius_m = forms.IntegerField(
        label=_("Within (metres)"),
        min_value=100,
        max_value=MAX_RADIUS_M,
        initial=3000,
        required=False,
    )
    facility = forms.ModelChoiceField(
        label=_("Needs"),
        queryset=Facility.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any facility"),
    )
    open_now = forms.BooleanField(label=_("Open now only"), required=False)

    def clean(self):
        data = super().clean()
        has_lat, has_lng = data.get("lat") is not None, data.get("lng") is not None
        if has_lat != has_lng:
            raise ValidationError(_("Your location was incomplete; use your location again."))
        if not has_lat and not data.get("region") and not data.get("q"):
            raise ValidationError(
                _("Use your location, pick a district or street, or search a name or address.")
            )
        return data


def navigation_links(entry) -> dict[str, str]:
    """Links that open the phone's map app at a station: a ``geo:`` URI (any Android map app)
    and AMap's URI API, told the coordinates are WGS-84 (it converts them itself)."""
    lat, lng = f"{entry.latitude:.6f}", f"{entry.longitude:.6f}"
    return {
        "geo": f"geo:{lat},{lng}?q={lat},{lng}({quote(entry.name)})",
        "amap": "https://uri.amap.com/marker?"
        + urlencode(
            {
                "position": f"{lng},{lat}",
                "name": entry.name,
                "coordinate": "wgs84",
                "callnative": "1",
            }
        ),
    }


def find(request):
    """A worker's phone page: use the phone's location, pick a district or street, or search
    a station's name or address; no login."""
    form = FindForm(request.GET or None, initial={"radius_m": 3000})
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results = selectors.find_stations(
            lat=data["lat"],
            lng=data["lng"],
            region=data["region"],
            q=data["q"],
            radius_m=data["radius_m"] or 3000,
            facility=data["facility"].code if data["facility"] else "",
            open_now=data["open_now"],
        )
        names = dict(Facility.objects.values_list("code", "name"))
        for found in results:
            found.facility_names = [names.get(c, c) for c in found.facilities]
            found.navigation = navigation_links(found.station)
    for bound in form:
        if bound.name != "open_now":
            bound.field.widget.attrs.setdefault("class", "input")
    located = form.is_bound and form.is_valid() and form.cleaned_data["lat"] is not None
    return render(
        request, "stations/find.html", {"form": form, "results": results, "located": located}
    )
