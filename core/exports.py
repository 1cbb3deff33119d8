"""Exported files (台账 in xlsx, CSV tables): every cell a spreadsheet program opens goes
through here, so none of them can become a formula.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by Excel or WPS when the file is opened (CSV/xlsx injection: a roster name
``=HYPERLINK(...)``). :func:`csv_text` prefixes such a value with an apostrophe (what a
spreadsheet program shows as the text itself); in xlsx the cell is written as a string with
Excel's "quote prefix" style (:func:`xlsx_cell`), so it shows and stays text even when edited.
Numbers, dates and booleans are written as themselves.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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


def xlsx_header(sheet, headers: Sequence[Any]) -> list:
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = _text_cell(sheet, str(header))
        cell.font = bold
        cells.append(cell)
    return cells


def new_workbook() -> Workbook:
    """An empty write-only workbook to fill with :func:`append_sheet`."""
    return Workbook(write_only=True)


def append_sheet(
    workbook: Workbook, title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> int:
    """A new sheet of ``workbook`` (write-only) with a bold header row and ``rows``; returns
    the number of rows written."""
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(xlsx_header(sheet, headers))
    count = 0
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in row])
        count += 1
    return count


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet1"):
    workbook = new_workbook()
    append_sheet(workbook, title, headers, rows)
    return workbook_bytes(workbook)


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]):
    return xlsx_file_response(filename, xlsx_bytes(headers, rows))


def xlsx_file_response(filename: str, body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
