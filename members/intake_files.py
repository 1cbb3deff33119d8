"""Reading roster files (CSV or xlsx) for the import page, the admin and the commands.

A file must start with a header row naming the contract's columns (any order; extra columns
are ignored and reported). CSV is UTF-8 with or without a byte-order mark (GB18030, which Excel
writes on Chinese Windows, is accepted too); xlsx is read from its first sheet through
django-import-export's format (openpyxl). Row numbers are line numbers in the file: the header
is row 1, the first data row is row 2. Entirely blank rows are skipped but keep their number.

:func:`read_roster` reads bytes already in memory (the web import, whose upload is small);
:func:`stream_roster` reads a file of any size from disk row by row (the commands): nothing
but the current chunk is held in memory, so there is no size limit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

FIRST_DATA_ROW = 2
_SNIFF_BYTES = 1 << 20


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
    records = _xlsx_records(content) if is_xlsx(filename) else _csv_records(content)
    _header_row, positions, ignored = _header(records[0][1] if records else None, columns)
    return RosterFile(rows=list(_rows(records[1:], positions)), ignored_columns=ignored)


def _header(first: list[Any] | None, columns: Sequence[str]):
    if not first or not any(str(c or "").strip() for c in first):
        raise RosterFileError(
            _("The file has no header row. The first row must name the columns: %(columns)s")
            % {"columns": ",".join(columns)}
        )
    header = [str(c or "").strip().lower() for c in first]
    missing = [c for c in columns if c not in header]
    if missing:
        raise RosterFileError(
            _("Columns missing from the header row: %(missing)s (expected: %(columns)s).")
            % {"missing": ", ".join(missing), "columns": ",".join(columns)}
        )
    positions = {c: header.index(c) for c in columns}
    return header, positions, [c for c in header if c and c not in columns]


def _rows(records, positions) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, record in records:
        if all(str(c if c is not None else "").strip() == "" for c in record):
            continue
        yield number, {c: (record[i] if i < len(record) else None) for c, i in positions.items()}


@dataclass
class RosterStream:
    """A roster file read lazily: ``rows`` yields ``(row number, {column: cell})``."""

    rows: Iterator[tuple[int, dict[str, Any]]]
    ignored_columns: list[str]


def _encoding(path: Path) -> str:
    sample = path.open("rb").read(_SNIFF_BYTES)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # A multi-byte character may be cut at the end of the sample: allow 3 bytes.
            sample.decode(encoding) if len(sample) < _SNIFF_BYTES else _decode_prefix(
                sample, encoding
            )
            return encoding
        except UnicodeDecodeError:
            continue
    raise RosterFileError(_("The file is not UTF-8 text; save it as CSV UTF-8."))


def _decode_prefix(sample: bytes, encoding: str) -> None:
    for cut in range(4):
        try:
            sample[: len(sample) - cut].decode(encoding)
            return
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError(encoding, sample, 0, 1, "not this encoding")


def _csv_stream(path: Path) -> Iterator[tuple[int, list[Any]]]:
    handle = path.open(encoding=_encoding(path), newline="")
    reader = csv.reader(handle)
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RosterFileError(
            _("The CSV file cannot be read near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from None
    except UnicodeDecodeError:
        raise RosterFileError(_("The file is not UTF-8 text; save it as CSV UTF-8.")) from None
    finally:
        handle.close()


def _xlsx_stream(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a broken or foreign file
        raise RosterFileError(_("The file is not a readable xlsx workbook.")) from None
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def stream_roster(path: str | Path, columns: Sequence[str]) -> RosterStream:
    """Open a roster file of any size; raise :class:`RosterFileError` if it is unreadable or a
    contract column is missing from the header (the rows are then read as they are used)."""
    path = Path(path)
    records = _xlsx_stream(path) if is_xlsx(path.name) else _csv_stream(path)
    first = next(records, None)
    _header_row, positions, ignored = _header(first[1] if first else None, columns)
    return RosterStream(rows=_rows(records, positions), ignored_columns=ignored)
