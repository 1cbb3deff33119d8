"""Reading a campaign's task sheet (xlsx): one task a row, headers in Chinese or English."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEADERS = {
    "标题": "title",
    "类型": "kind",
    "说明": "description",
    "地点": "place",
    "纬度": "lat",
    "经度": "lng",
    "开始时间": "starts_at",
    "结束时间": "ends_at",
    "人数": "slots",
    "积分": "points",
    "区划代码": "region",
    "技能": "skill",
}
MAX_ROWS = 20_000


def read_task_rows(upload) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows as task fields (``row`` is the sheet's row number) and the header errors."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        raise ValidationError({"file": _("This is not an xlsx file.")}) from None
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = [HEADERS.get(str(h or "").strip(), str(h or "").strip()) for h in header]
    out: list[dict[str, Any]] = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            break
        if not any(v not in (None, "") for v in values):
            continue
        row = {n: v for n, v in zip(names, values, strict=False) if n}
        row["row"] = number
        out.append(row)
    return out, []
