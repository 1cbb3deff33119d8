"""The browser face of the 18 measures: the page of all measures with progress bars, status
per quarter and overdue reports (``?format=xlsx``: the leadership's report), and a measure's
page with its indicators and the quarterly report form for the reporting unit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import pii
from core.exports import append_sheet, new_workbook, workbook_bytes, xlsx_file_response
from core.filters import YEAR_MAX, YEAR_MIN
from core.forms import apply_service_errors, style_inputs

from ..choices import QuarterStatus
from . import selectors, services
from .models import Indicator, Measure


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, YEAR_MIN), YEAR_MAX)


@login_required
def measure_list(request):
    year = _year(request)
    board = selectors.measure_board(request.user, year)
    if request.GET.get("format") == "xlsx":
        return _export(request, board, year)
    return render(
        request,
        "taskforce/measure_list.html",
        {
            "board": board,
            "year": year,
            "overdue_total": sum(len(p.overdue) for p in board),
            "overdue_units": sorted(
                selectors.overdue_by_unit(board).items(), key=lambda kv: (-kv[1], str(kv[0]))
            ),
        },
    )


def _export(request, board, year: int):
    """Two sheets: the measures (progress, status per quarter, overdue reports) and every
    indicator with its quarterly actuals."""
    workbook = new_workbook()
    quarters = [f"Q{q}" for q in selectors.QUARTERS]
    measure_headers = [
        gettext("Number"),
        gettext("Measure"),
        gettext("Lead unit"),
        gettext("Responsible units"),
        gettext("Progress (%)"),
        *quarters,
        gettext("Overdue reports"),
        gettext("Appeals citing it"),
        gettext("Research demands"),
    ]
    labels = dict(QuarterStatus.choices)
    rows = []
    for p in board:
        m = p.measure
        rows.append(
            [
                m.policy.number,
                m.policy.title,
                str(m.lead_unit or ""),
                "、".join(str(u) for u in m.responsible_units.all()),
                p.percent,
                *[str(labels.get(p.statuses.get(q), "")) for q in selectors.QUARTERS],
                len(p.overdue),
                p.appeal_count,
                p.demand_count,
            ]
        )
    append_sheet(workbook, gettext("Measures"), measure_headers, rows)
    indicator_headers = [
        gettext("Number"),
        gettext("Indicator"),
        gettext("Unit of measure"),
        gettext("Target"),
        gettext("Reporting unit"),
        *quarters,
        gettext("Value"),
        gettext("Progress (%)"),
    ]
    indicator_rows = [
        [
            p.measure.policy.number,
            row.indicator.name,
            row.indicator.measure_unit,
            row.indicator.target,
            str(row.indicator.department),
            *[row.actuals[q].actual if q in row.actuals else None for q in selectors.QUARTERS],
            row.value(),
            row.percent,
        ]
        for p in board
        for row in p.indicators
    ]
    append_sheet(workbook, gettext("Indicators"), indicator_headers, indicator_rows)
    pii.record_export(
        actor=request.user, model=Measure, fields=measure_headers, row_count=len(rows)
    )
    return xlsx_file_response(f"measures-{year}.xlsx", workbook_bytes(workbook))


class ReportForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in selectors.QUARTERS], coerce=int
    )
    actual = forms.DecimalField(label=_("Actual"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


@login_required
def measure_detail(request, pk: int):
    year = _year(request)
    board = selectors.measure_board(request.user, year)
    progress = next((p for p in board if p.measure.pk == pk), None)
    if progress is None:
        raise Http404
    reportable = set(
        selectors.indicators_for(request.user)
        .filter(measure_id=pk, year=year)
        .values_list("pk", flat=True)
    )
    may_report = request.user.has_perm("taskforce.add_indicatorreport")
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied
        if form.is_valid():
            indicator = Indicator.objects.filter(
                pk=form.cleaned_data["indicator"], measure_id=pk
            ).first()
            try:
                services.report_submit(
                    actor=request.user,
                    indicator=indicator,
                    quarter=form.cleaned_data["quarter"],
                    actual=form.cleaned_data["actual"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, gettext("The report was saved."))
                return redirect(f"{request.path}?year={year}")
    style_inputs(form)
    return render(
        request,
        "taskforce/measure_detail.html",
        {
            "progress": progress,
            "year": year,
            "form": form,
            "may_report": may_report,
            "reportable": reportable,
            "quarters": selectors.QUARTERS,
            # The indicator whose form was sent back: its errors and values go with it.
            "posted": _posted_indicator(form, reportable),
        },
    )


def _posted_indicator(form: ReportForm, reportable: set[int]) -> int | None:
    if not form.is_bound:
        return None
    try:
        pk = int(form.data.get("indicator"))
    except (TypeError, ValueError):
        return None
    return pk if pk in reportable else None
