"""Reading roster files (CSV or xlsx) for the import page, the admin and the commands.

A file must start with a header row naming the contract's columns (any order; extra columns
are ignored and reported). CSV is UTF-8 with or without a byte-order mark (GB18030, which Excel
writes on Chinese Windows, is accepted too); xlsx is read from its first sheet through
django-import-export's format (openpyxl). Row numbers are line numbers in the file: the header
is row 1, the first data row is row 2. Entirely blank rows are skipped but keep their number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

FIRST_DATA_ROW = 2
MAX_FILE_BYTES = 20 * 1024 * 1024


class RosterFileError(Exception):
    """The file cannot be read, or its header is wrong; the message says why."""


@dataclass
class RosterFile:
    """The data rows as ``(row number, {column: cell})``; only contract columns are kept."""

    rows: list[tuple[int, dict[str, Any]]]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def first_row(self) -> int:
        return self.rows[0][0] if self.rows else FIRST_DATA_ROW


def is_xlsx(filename: str) -> bool:
    return filename.lower().endswith(".xlsx")


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError(_("The file is not UTF-8 text; save it as CSV UTF-8."))


def _csv_records(content: bytes) -> list[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    records: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RosterFileError(
            _("The CSV file cannot be read near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from None
    return records


def _xlsx_records(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        dataset = XLSX().create_dataset(content)
    except Exception:  # openpyxl raises many kinds for a broken or foreign file
        raise RosterFileError(_("The file is not a readable xlsx workbook.")) from None
    return [(1, list(dataset.headers or []))] + [
        (number, list(row)) for number, row in enumerate(dataset, start=FIRST_DATA_ROW)
    ]


def read_roster(content: bytes, filename: str, columns: Sequence[str]) -> RosterFile:
    """Parse ``content``; raise :class:`RosterFileError` if it is unreadable or a contract
    column is missing from the header."""
    if len(content) > MAX_FILE_BYTES:
        raise RosterFileError(_("The file is larger than 20 MB; split it."))
    records = _xlsx_records(content) if is_xlsx(filename) else _csv_records(content)
    if not records or not any(str(c or "").strip() for c in records[0][1]):
        raise RosterFileError(
            _("The file has no header row. The first row must name the columns: %(columns)s")
            % {"columns": ",".join(columns)}
        )
    header = [str(c or "").strip().lower() for c in records[0][1]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise RosterFileError(
            _("Columns missing from the header row: %(missing)s (expected: %(columns)s).")
            % {"missing": ", ".join(missing), "columns": ",".join(columns)}
        )
    positions = {c: header.index(c) for c in columns}
    rows = []
    for number, record in records[1:]:
        if all(str(c if c is not None else "").strip() == "" for c in record):
            continue
        rows.append(
            (number, {c: (record[i] if i < len(record) else None) for c, i in positions.items()})
        )
    ignored = [c for c in header if c and c not in columns]
    return RosterFile(rows=rows, ignored_columns=ignored)
