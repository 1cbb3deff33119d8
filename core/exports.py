"""Exported files (台账 in xlsx, CSV tables): every cell a spreadsheet program opens goes
through here, so none of them can become a formula.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by Excel or WPS when the file is opened (CSV/xlsx injection: a roster name
``=HYPERLINK(...)``). :func:`csv_text` prefixes such a value with an apostrophe (what a
spreadsheet program shows as the text itself); in xlsx the cell is written as a string with
Excel's "quote prefix" style (:func:`xlsx_cell`), so it shows and stays text even when edited.
Numbers, dates and booleans are written as themselves.

Every xlsx export is built here the same way, so that a ledger is ready for the field: the data
sheet is named, its header row is frozen and bold, its columns are as wide as their contents
(sampled), and a second sheet "About this export" (:class:`ExportInfo`) states who exported
it, when, and with which filters (an exact ID number or phone filter is named, never shown).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django import forms
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The first characters that make a spreadsheet program read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet program would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_text(value: Any) -> Any:
    """A CSV cell: formula-like text gets a leading apostrophe; anything else as given."""
    if is_formula_like(value):
        return "'" + value
    return value


def csv_row(row: Iterable[Any]) -> list[Any]:
    return [csv_text(v) for v in row]


class SafeCsvWriter:
    """``csv.writer`` whose every written cell goes through :func:`csv_text`."""

    def __init__(self, handle, **kwargs: Any):
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(csv_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeCsvDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose every written cell goes through :func:`csv_text`."""

    def writerow(self, rowdict):
        return super().writerow({k: csv_text(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, Decimal):
        return str(value)  # exact text: floats would round amounts
    return str(value)


def _text_cell(sheet, value: str):
    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        cell.quotePrefix = True
    return cell


def xlsx_cell(sheet, value: Any) -> Any:
    """The cell to append to a write-only ``sheet``: formula-like text as a quote-prefixed
    string cell, anything else as its plain value."""
    value = _value(value)
    return _text_cell(sheet, value) if is_formula_like(value) else value


HEADER_FILL = PatternFill("solid", fgColor="F3E3E3")
#: Rows sampled to size the columns (the header and the first rows of data).
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
#: Filters whose value is an exact ID number or phone (or its blind-index token): named only.
HIDDEN_FILTERS = frozenset({"id_number", "phone"})
#: Query parameters that are not filters.
NOT_FILTERS = frozenset({"page", "format", "csrfmiddlewaretoken"})


def xlsx_header(sheet, headers: Sequence[Any]) -> list:
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = _text_cell(sheet, str(header))
        cell.font = bold
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def display_width(value: Any) -> int:
    """How many character cells ``value`` takes in a spreadsheet column: a Chinese character
    (East Asian wide or full-width) takes two."""
    value = _value(value)
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


def column_widths(headers: Sequence[Any], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Widths of the columns for the header and the sampled ``rows``, within sensible bounds."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], display_width(value))
    return [float(min(max(w + 2, MIN_WIDTH), MAX_WIDTH)) for w in widths]


def sheet_title(title: str) -> str:
    """A valid sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()
    return cleaned[:31] or "Sheet1"


@dataclass(frozen=True)
class ExportInfo:
    """What the "About this export" sheet states: who exported, when, with which filters."""

    exported_by: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    exported_at: dt.datetime = field(default_factory=timezone.now)
    #: What the rows cover beyond the filters (e.g. "your scope"), optional.
    note: str = ""


def _user_label(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    full = (user.get_full_name() or "").strip()
    return f"{full}（{user.get_username()}）" if full else user.get_username()


def _choice_label(form_field: forms.Field, value: Any) -> str:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return value.isoformat()
    choices = getattr(form_field, "choices", None)
    if choices is not None and not isinstance(form_field, forms.ModelChoiceField):
        flat: dict[str, str] = {}
        for key, label in choices:
            if isinstance(label, list | tuple):
                flat.update({str(k): str(v) for k, v in label})
            else:
                flat[str(key)] = str(label)
        return flat.get(str(value), str(value))
    return str(value)


def describe_filters(query: Any, filterset: Any = None) -> tuple[tuple[str, str], ...]:
    """The filters a list was exported with, as (label, value) pairs in the page's words.

    With the list's FilterSet or filter form (bound and valid) each filter is named by its
    form label and its value shown as the page shows it (choice labels, object names);
    otherwise the raw query parameters. An exact ID number or phone filter says only that it
    was used."""
    described: list[tuple[str, str]] = []
    # A FilterSet's form, or a plain filter form.
    form = getattr(filterset, "form", filterset)
    if form is not None and getattr(form, "is_bound", False) and form.is_valid():
        for name, value in form.cleaned_data.items():
            if value in (None, "", [], ()) or (
                isinstance(value, models.QuerySet) and not value.exists()
            ):
                continue
            form_field = form.fields[name]
            label = str(form_field.label or name)
            if name in HIDDEN_FILTERS:
                described.append((label, _("(an exact value, not shown)")))
                continue
            if isinstance(value, list | tuple | models.QuerySet):
                text = "、".join(_choice_label(form_field, v) for v in value)
            else:
                text = _choice_label(form_field, value)
            described.append((label, text))
        return tuple(described)
    if query is None:
        return ()
    for name in query:
        if name in NOT_FILTERS:
            continue
        values = [v for v in query.getlist(name) if str(v).strip()]
        if not values:
            continue
        shown = _("(an exact value, not shown)") if name in HIDDEN_FILTERS else "、".join(values)
        described.append((name, shown))
    return tuple(described)


def export_info(request: Any = None, *, filterset: Any = None, note: str = "") -> ExportInfo:
    """The :class:`ExportInfo` of an export answered to ``request``: its user, now, and the
    filters (from ``filterset`` when the list has one, else the query)."""
    user = getattr(request, "user", None)
    query = getattr(request, "GET", None)
    return ExportInfo(
        exported_by=_user_label(user),
        filters=describe_filters(query, filterset),
        note=note,
    )


def new_workbook() -> Workbook:
    """An empty write-only workbook to fill with :func:`append_sheet`."""
    return Workbook(write_only=True)


def append_sheet(
    workbook: Workbook, title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> int:
    """A new named sheet of ``workbook`` (write-only): a bold, frozen header row, columns
    sized to their contents, then ``rows``; returns the number of rows written."""
    sheet = workbook.create_sheet(title=sheet_title(title))
    rows = iter(rows)
    sample = [list(r) for r in itertools.islice(rows, WIDTH_SAMPLE_ROWS)]
    for i, width in enumerate(column_widths(headers, sample), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(xlsx_header(sheet, headers))
    count = 0
    for row in itertools.chain(sample, rows):
        sheet.append([xlsx_cell(sheet, v) for v in row])
        count += 1
    return count


def append_info_sheet(
    workbook: Workbook, info: ExportInfo, counts: Sequence[tuple[str, int]]
) -> None:
    """The "About this export" sheet: who, when, which filters, and the rows of each sheet."""
    sheet = workbook.create_sheet(title=sheet_title(_("About this export")))
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 60
    bold = Font(bold=True)

    def line(label: str, value: Any) -> None:
        head = _text_cell(sheet, label)
        head.font = bold
        sheet.append([head, xlsx_cell(sheet, value)])

    line(_("Exported by"), info.exported_by or _("(not recorded)"))
    line(_("Exported at"), timezone.localtime(info.exported_at).strftime("%Y-%m-%d %H:%M"))
    if info.filters:
        for label, value in info.filters:
            line(_("Filter: %(name)s") % {"name": label}, value)
    else:
        line(_("Filters"), _("None: every record you may see"))
    if info.note:
        line(_("Covers"), info.note)
    for title, count in counts:
        line(_("Rows in “%(sheet)s”") % {"sheet": sheet_title(title)}, count)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
    info: ExportInfo | None = None,
) -> bytes:
    """A workbook of one named data sheet and its "About this export" sheet."""
    workbook = new_workbook()
    count = append_sheet(workbook, title, headers, rows)
    append_info_sheet(workbook, info or ExportInfo(), [(title, count)])
    return workbook_bytes(workbook)


def xlsx_response(
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    info: ExportInfo | None = None,
) -> HttpResponse:
    """An xlsx download: the data sheet is ``title`` (else the file's name without its
    extension) and the "About this export" sheet follows it (:func:`xlsx_bytes`)."""
    title = title or PurePosixPath(filename).stem
    return xlsx_file_response(filename, xlsx_bytes(headers, rows, title=title, info=info))


def xlsx_file_response(filename: str, body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
