"""The statistics page of appeals: volume by category, platform and month, the three rates
and the time spent per level, as ECharts charts and tables, with an xlsx export.

Scoped: the figures count only the appeals the user sees (:mod:`appeals.stats.selectors`).
The statistics hold no personal data; the export is still logged (who took which figures,
when), like every export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import pii
from core.exports import export_info, xlsx_response
from core.figures import figure_id
from organizations.choices import RegionLevel
from organizations.models import Industry, Region

from ..models import Appeal
from .selectors import AppealStats, Rate, StatsFilter, appeal_stats, merged_duplicates


class StatsFilterForm(forms.Form):
    start = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    industry = forms.ModelChoiceField(
        label=_("Industry"),
        queryset=Industry.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All industries"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All regions"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.order_by("sort_order", "code")
        self.fields["region"].queryset = (
            Region.objects.exclude(level=RegionLevel.COMMUNITY)
            .only("code", "name", "depth", "path")
            .order_by("path")
        )
        self.fields["region"].label_from_instance = lambda r: "\u3000" * r.depth + r.name
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", gettext("The end date is before the start date."))
        return data

    def filters(self) -> StatsFilter:
        if not self.is_valid():
            return StatsFilter()
        d = self.cleaned_data
        return StatsFilter(
            start=d.get("start"),
            end=d.get("end"),
            industry=d.get("industry"),
            region=d.get("region"),
        )


def _hours(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 1)


def _figure(key: str, filters: StatsFilter | None) -> str:
    """The figure's name shared with the dashboard (``data-figure``); none for a date range,
    which no other page shows."""
    if filters is None or filters.start or filters.end:
        return ""
    return figure_id(key, filters.region, filters.industry)


def _rate_rows(stats: AppealStats, filters: StatsFilter | None = None) -> list[dict[str, Any]]:
    names = {
        "response": (
            _("Response rate"),
            _("dispatched within the SLA"),
            _("received"),
        ),
        "resolution": (_("Resolution rate"), _("closed"), _("received")),
        "satisfaction": (_("Visit satisfaction rate"), _("satisfied"), _("visited")),
        "closed_satisfaction": (_("Closed satisfaction rate"), _("satisfied"), _("closed")),
    }
    #: The figure keys shared with the dashboard's cards (``data-figure``).
    figure_keys = {"satisfaction": "appeals_visit_satisfaction"}
    rows = []
    for key, (label, num_label, den_label) in names.items():
        rate: Rate = stats.rates[key]
        rows.append(
            {
                "key": key,
                "figure": _figure(figure_keys.get(key, f"appeals_{key}_rate"), filters),
                "label": label,
                "numerator": rate.numerator,
                "denominator": rate.denominator,
                "numerator_label": num_label,
                "denominator_label": den_label,
                "percent": rate.percent,
            }
        )
    return rows


def _charts(stats: AppealStats) -> dict[str, Any]:
    no_platform = gettext("No platform")
    return {
        "labels": {"count": gettext("Appeals"), "hours": gettext("Average hours")},
        "byCategory": [{"name": r["name"], "count": r["count"]} for r in stats.by_category],
        "byPlatform": [
            {"name": r["name"] or no_platform, "count": r["count"]} for r in stats.by_platform
        ],
        "byMonth": stats.by_month,
        "perLevel": [
            {"name": str(r["label"]), "hours": _hours(r["average"])} for r in stats.per_level
        ],
    }


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
def stats(request: HttpRequest) -> HttpResponse:
    form = StatsFilterForm(request.GET or None)
    filters = form.filters()
    figures = appeal_stats(request.user, filters, now=timezone.now())
    if request.GET.get("format") == "xlsx":
        return _export(request, figures, form)
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "appeals/stats/stats.html",
        {
            "form": form,
            "stats": figures,
            "merged": merged_duplicates(request.user, filters),
            "rate_rows": _rate_rows(figures, filters),
            "received_figure": _figure("appeals_received", filters),
            "per_level": [{**r, "hours": _hours(r["average"])} for r in figures.per_level],
            "charts": _charts(figures),
            "export_query": query.urlencode(),
        },
    )


def _export(request: HttpRequest, figures: AppealStats, form) -> HttpResponse:
    user = request.user
    """One sheet: a row per figure (table, item, count or numerator, denominator, value)."""
    rows: list[list[Any]] = []
    for r in _rate_rows(figures):
        rows.append(
            [gettext("Rates"), str(r["label"]), r["numerator"], r["denominator"], r["percent"]]
        )
    for r in figures.by_category:
        rows.append([gettext("By category"), r["name"], r["count"], None, None])
    for r in figures.by_platform:
        rows.append(
            [gettext("By platform"), r["name"] or gettext("No platform"), r["count"], None, None]
        )
    for r in figures.by_month:
        rows.append([gettext("By month"), r["month"], r["count"], None, None])
    for r in figures.per_level:
        rows.append(
            [
                gettext("Average hours per level"),
                str(r["label"]),
                r["appeals"],
                None,
                _hours(r["average"]),
            ]
        )
    headers = [
        gettext("Table"),
        gettext("Item"),
        gettext("Count or numerator"),
        gettext("Denominator"),
        gettext("Value (percent or hours)"),
    ]
    filename = f"appeal-statistics-{timezone.localdate():%Y%m%d}.xlsx"
    pii.record_export(
        actor=user, model=Appeal, fields=[str(h) for h in headers], row_count=len(rows)
    )
    return xlsx_response(
        filename,
        headers,
        rows,
        title=gettext("Appeal statistics"),
        info=export_info(request, filterset=form),
    )
