"""Excel ledgers (台账): stream rows into an xlsx workbook."""

import datetime as dt
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return str(value)


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet1"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]):
    response = HttpResponse(xlsx_bytes(headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
