"""Exported files never carry a formula: text beginning with = + - @, a tab or a carriage
return is written as text (xlsx: a quote-prefixed string cell; CSV: a leading apostrophe)."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.exports import SafeCsvDictWriter, SafeCsvWriter, xlsx_bytes
from stations.hsds import COLUMNS, zipped_csv

ROOT = Path(__file__).resolve().parents[2]
DANGEROUS = [
    '=HYPERLINK("http://evil.example","点我")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_writes_formula_like_text_as_text(value):
    body = xlsx_bytes(["姓名", value], [[value, 3]])
    sheet = load_workbook(io.BytesIO(body)).active
    for cell in (sheet["A2"], sheet["B1"]):
        assert cell.data_type == "s"
        assert cell.value == value.replace("\r", "\n")  # XML reads a lone CR as LF
        assert cell.quotePrefix
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"


def test_xlsx_keeps_ordinary_values():
    body = xlsx_bytes(["a", "b", "c"], [["张三", "138-0000", 1.5]])
    sheet = load_workbook(io.BytesIO(body)).active
    assert [c.value for c in sheet[2]] == ["张三", "138-0000", 1.5]
    assert not sheet["A2"].quotePrefix


def test_csv_writers_prefix_formula_like_text():
    text = io.StringIO()
    SafeCsvWriter(text).writerows([[v, "ok", 5] for v in DANGEROUS])
    rows = list(csv.reader(io.StringIO(text.getvalue())))
    assert [r[0] for r in rows] == ["'" + v for v in DANGEROUS]
    assert all(r[1:] == ["ok", "5"] for r in rows)

    text = io.StringIO()
    writer = SafeCsvDictWriter(text, fieldnames=["name"])
    writer.writeheader()
    writer.writerow({"name": "=1+1"})
    assert text.getvalue().splitlines()[1] == "'=1+1"


def test_hsds_csv_export_is_safe():
    data = {name: [] for name in COLUMNS}
    first = next(iter(COLUMNS))
    data[first] = [{column: "=cmd()" for column in COLUMNS[first]}]
    archive = zipfile.ZipFile(io.BytesIO(zipped_csv(data)))
    content = archive.read(f"{first}.csv").decode("utf-8-sig")
    assert "'=cmd()" in content
    assert not re.search(r"(^|,)=cmd", content, re.M)


def test_every_export_goes_through_core_exports():
    """Files are written by core.exports only: no other module builds a workbook or a CSV
    writer of its own (reading rosters with csv.reader / load_workbook is fine)."""
    offenders = []
    pattern = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(")
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "tests", "bench", "demo"} or "migrations" in rel.parts:
            continue
        if rel.as_posix() == "core/exports.py":
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(rel.as_posix())
    assert offenders == []
