"""The statistics page: the year's figures in the user's scope, charts and an xlsx export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pii
from core.exports import export_info, xlsx_response
from core.figures import figure_id
from organizations.figures import figure_filter_from

from .. import selectors
from ..models import (
    TrainingClass,
)


@login_required
def stats(request):
    """The year's figures in the user's scope, charts and an xlsx export (``?format=xlsx``)."""
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    where = figure_filter_from(request.GET)
    figures = selectors.statistics(request.user, year=year, where=where)
    labels = selectors.measure_labels()
    measures = list(selectors.MEASURES)
    if request.GET.get("format") == "xlsx":
        headers = [str(_("Dimension")), str(_("Group")), *[labels[m] for m in measures]]
        rows = []
        for dimension, table in (
            (_("Month"), figures.by_month),
            (_("Industry"), figures.by_industry),
            (_("Region"), figures.by_region),
        ):
            rows += [[str(dimension), r["label"], *[r[m] for m in measures]] for r in table]
        rows.append([str(_("Total")), str(figures.year), *[figures.totals[m] for m in measures]])
        pii.record_export(
            actor=request.user, model=TrainingClass, fields=headers, row_count=len(rows)
        )
        return xlsx_response(
            f"training-statistics-{figures.year}.xlsx",
            headers,
            rows,
            title=str(_("Training statistics %(year)s") % {"year": figures.year}),
            info=export_info(request),
        )
    this_year = timezone.localdate().year
    return render(
        request,
        "training/stats.html",
        {
            "figures": figures,
            "where": where,
            "figure_keys": {
                measure: figure_id(f"{key}:{figures.year}", where.region, where.industry)
                for measure, key in selectors.FIGURE_KEYS.items()
            },
            "measures": [(m, labels[m]) for m in measures],
            "years": list(range(this_year, this_year - 5, -1)),
            "charts": {
                "labels": labels,
                "months": figures.by_month,
                "industries": figures.by_industry,
                "regions": figures.by_region,
            },
        },
    )
