"""Every xlsx export is field-ready: a named data sheet with a bold frozen header and columns
sized to their contents, then an "About this export" sheet stating who exported it, when, and
with which filters (an exact ID or phone filter named, never shown)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.http import QueryDict
from django.test import override_settings
from openpyxl import load_workbook

from core.exports import ExportInfo, describe_filters, xlsx_bytes
from organizations.choices import CoverageMode

pytestmark = pytest.mark.django_db


def _book(body: bytes):
    return load_workbook(BytesIO(body))


def _about(book) -> dict[str, object]:
    sheet = book.worksheets[1]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}


@override_settings(LANGUAGE_CODE="en")
def test_a_workbook_has_a_named_frozen_sized_sheet_and_its_about_sheet():
    body = xlsx_bytes(
        ["Name", "Note"],
        [["常州市天宁区雕庄街道外卖骑手党员服务站", "x"], ["a", "b"]],
        title="Task list",
        info=ExportInfo(exported_by="staff", filters=(("Region", "天宁区"),)),
    )
    book = _book(body)
    data = book.worksheets[0]
    assert data.title == "Task list"
    assert data.freeze_panes == "A2"
    assert data["A1"].font.b
    # Twenty Chinese characters take forty cells; a one-letter column keeps a minimum.
    assert data.column_dimensions["A"].width >= 40
    assert 6 <= data.column_dimensions["B"].width < 10
    about = _about(book)
    assert book.worksheets[1].title == "About this export"
    assert about["Exported by"] == "staff"
    assert about["Filter: Region"] == "天宁区"
    assert about["Rows in “Task list”"] == 2
    assert about["Exported at"]


def test_an_exact_id_or_phone_filter_is_named_but_not_shown():
    query = QueryDict("phone=13812345678&region=320402&page=2&format=xlsx")
    described = dict(describe_filters(query))
    assert "13812345678" not in str(described)
    assert set(described) == {"phone", "region"}


def _export(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return _book(response.content)


def test_the_uncovered_work_list_is_ready_for_the_field(client, world):
    world.ent_delivery_b.address = "钟楼区邮电路 8 号"
    world.ent_delivery_b.contact_name = "周站长"
    world.ent_delivery_b.contact_phone = "0519-86661234"
    world.ent_delivery_b.save()
    client.force_login(world.staff)
    book = _export(
        client, f"/organizations/enterprises/?coverage_mode={CoverageMode.NONE}&format=xlsx"
    )
    data = book.worksheets[0]
    rows = list(data.iter_rows(values_only=True))
    header = rows[0]
    assert data.title == "企业"
    for column in ("地址", "联系人", "单位联系电话"):
        assert column in header
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert world.ent_delivery_b.name in by_name and world.ent_delivery_a.name not in by_name
    row = by_name[world.ent_delivery_b.name]
    assert (row["地址"], row["联系人"], row["单位联系电话"]) == (
        "钟楼区邮电路 8 号",
        "周站长",
        "0519-86661234",
    )
    about = _about(book)
    assert about["导出人"] == "staff"
    assert "筛选：覆盖情况" in about and "未覆盖" in about["筛选：覆盖情况"]


def test_every_list_export_names_its_sheet_and_states_its_filters(client, world, people):
    client.force_login(world.staff)
    for url, title in (
        ("/members/workers/?format=xlsx", "从业人员"),
        ("/members/?format=xlsx", "党员"),
        ("/members/ledgers/tasks/?format=xlsx", "任务清单"),
        ("/stations/?format=xlsx", None),
        ("/appeals/?format=xlsx", None),
    ):
        book = _export(client, url)
        assert len(book.worksheets) == 2, url
        if title:
            assert book.worksheets[0].title == title, url
        assert book.worksheets[0].freeze_panes == "A2", url
        about = _about(book)
        assert about["导出人"] == "staff", url
        assert any(k == "筛选条件" or k.startswith("筛选：") for k in about), url


def test_an_enterprise_contact_phone_is_checked(world):
    from django.core.exceptions import ValidationError

    from organizations.services import enterprise_update

    with pytest.raises(ValidationError) as caught:
        enterprise_update(
            actor=world.staff, enterprise=world.ent_delivery_b, data={"contact_phone": "call me"}
        )
    assert "contact_phone" in caught.value.message_dict
    world.ent_delivery_b.refresh_from_db()
    assert world.ent_delivery_b.contact_phone == ""
