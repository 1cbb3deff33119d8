"""What the three features' pages share: a list page whose table is its xlsx columns (so the
page and the export cannot disagree) and a statistics page (cards, ECharts charts, tables and
the same tables as an xlsx workbook, access-logged)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from core import pii
from core.exports import append_sheet, new_workbook, workbook_bytes, xlsx_file_response
from core.forms import style_inputs
from organizations.scoped import ColumnsListView


class EcoListView(ColumnsListView):
    """A scoped list: filters, pagination, the export's columns as the page's table."""

    template_name = "ecosystem/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["filterset"] is not None:
            style_inputs(context["filterset"].form, date_inputs=True, search_q=False)
        return context


@dataclass
class Table:
    id: str
    title: Any
    headers: list[Any]
    rows: list[list[Any]] = field(default_factory=list)


def stats_page(
    request: HttpRequest,
    *,
    title: Any,
    cards: list[dict[str, Any]],
    charts: list[dict[str, Any]],
    tables: list[Table],
    definition: Any = "",
    export_name: str,
    export_model,
) -> HttpResponse:
    """Render the statistics page, or (``?format=xlsx``) a workbook with the totals and one
    sheet per table, with an access-log row."""
    if request.GET.get("format") == "xlsx":
        workbook = new_workbook()
        count = append_sheet(
            workbook,
            gettext("Totals"),
            [gettext("Item"), gettext("Value")],
            [[str(card["label"]), card["value"]] for card in cards],
        )
        for table in tables:
            count += append_sheet(
                workbook, str(table.title), [str(h) for h in table.headers], table.rows
            )
        pii.record_export(
            actor=request.user, model=export_model, fields=[str(title)], row_count=count
        )
        filename = f"{export_name}-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_file_response(filename, workbook_bytes(workbook))
    query = request.GET.copy()
    query["format"] = "xlsx"
    chart_data = [
        {"id": c["id"], "type": c["type"], "names": c["names"], "series": c["series"]}
        for c in charts
    ]
    return render(
        request,
        "ecosystem/stats.html",
        {
            "title": title,
            "cards": cards,
            "charts": charts,
            "chart_data": chart_data,
            "tables": tables,
            "definition": definition,
            "export_query": query.urlencode(),
        },
    )
