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
import itertools
import operator
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

from members.services.intake.cells import Cells

FIRST_DATA_ROW = 2
_SNIFF_BYTES = 1 << 20
_BATCH = 2_000  # records read and converted together


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


def _rows(records, positions, ordered=False) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The data rows as ``(row number, {column: cell})``; with ``ordered``, a row of text
    (CSV) comes as :class:`~members.services.intake.cells.Cells` instead: the stripped cells
    in the order of ``positions`` (the contract's)."""
    records = iter(records)
    while batch := list(itertools.islice(records, _BATCH)):
        yield from _rows_of(batch, positions, ordered)


def _rows_of(batch, positions, ordered) -> list[tuple[int, Mapping[str, Any]]]:
    """:func:`_rows` of a list of records (a loop without a generator step per row)."""
    names = list(positions)
    pick = operator.itemgetter(*positions.values())
    width = max(positions.values()) + 1
    single = len(names) == 1
    strip = str.strip
    out: list[tuple[int, Mapping[str, Any]]] = []
    for number, record in batch:
        try:  # a CSV record: all text, one join tells a blank row
            if not "".join(record).strip():
                continue
            text = ordered
        except TypeError:  # an xlsx row holds numbers, dates and None as well
            if all(str(c if c is not None else "").strip() == "" for c in record):
                continue
            text = False
        if len(record) >= width:
            picked = (pick(record),) if single else pick(record)
            if text:  # CSV: the cells as the intake reads them, without a dict
                out.append((number, Cells(map(strip, picked))))
            else:
                out.append((number, dict(zip(names, picked, strict=True))))
        else:
            out.append(
                (
                    number,
                    {c: (record[i] if i < len(record) else None) for c, i in positions.items()},
                )
            )
    return out


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


def _csv_stream(path: Path) -> Iterator[list[tuple[int, list[Any]]]]:
    """The records with their line numbers, in batches: a batch without a line break inside
    a cell is numbered by counting (one line a record); otherwise each record counts the
    lines its cells span."""
    handle = path.open(encoding=_encoding(path), newline="")
    reader = csv.reader(handle)
    line = 1
    try:
        while batch := list(itertools.islice(reader, _BATCH)):
            text = "".join(map("".join, batch))
            if "\n" not in text and "\r" not in text:
                yield list(zip(range(line, line + len(batch)), batch, strict=True))
            else:
                numbered = []
                for record in batch:
                    numbered.append((line, record))
                    cells = "".join(record)
                    line += 1 + cells.count("\n") + cells.count("\r") - cells.count("\r\n")
                yield numbered
            line = reader.line_num + 1
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


def stream_roster(
    path: str | Path, columns: Sequence[str], *, ordered: bool = False
) -> RosterStream:
    """Open a roster file of any size; raise :class:`RosterFileError` if it is unreadable or a
    contract column is missing from the header (the rows are then read as they are used).
    ``ordered``: CSV rows come as ``Cells`` (see :func:`_rows`), as the intake takes them."""
    path = Path(path)
    if is_xlsx(path.name):
        records = _xlsx_stream(path)
        first = next(records, None)
        _header_row, positions, ignored = _header(first[1] if first else None, columns)
        return RosterStream(rows=_rows(records, positions, ordered), ignored_columns=ignored)
    batches = _csv_stream(path)
    batch = next(batches, [])
    _header_row, positions, ignored = _header(batch[0][1] if batch else None, columns)
    rows = itertools.chain.from_iterable(
        _rows_of(b, positions, ordered) for b in itertools.chain([batch[1:]], batches)
    )
    return RosterStream(rows=rows, ignored_columns=ignored)
