"""``import_workers`` and ``import_members``: the column contracts, the printed report, exit
codes, BOM and xlsx files, the acting user's scope."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from members.models import PartyMember, Worker
from members.services.intake import MEMBER_COLUMNS, WORKER_COLUMNS
from tests import factories as f

pytestmark = pytest.mark.django_db

WORKER_HEADER = ",".join(WORKER_COLUMNS)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return str(path)


def test_import_workers_prints_counts_and_each_rejected_row(world, tmp_path):
    bad_id = f.resident_id_for(2)[:17] + ("1" if f.resident_id_for(2)[17] != "1" else "2")
    text = "\n".join(
        [
            WORKER_HEADER,
            f"MT-1,张三,{f.resident_id_for(1)},{f.phone_for(1)},food_delivery,,320402,masses,31.7,119.9",
            f"MT-2,李四,{bad_id},,food_delivery,,,,,",
            "MT-3,王五,,,,,,,,",  # empty cells are allowed
            "",
            "MT-4,赵六,,,nope,,,,,",
        ]
    )
    output = run("import_workers", write(tmp_path, "roster.csv", text), "--source", "meituan")
    lines = output.splitlines()
    assert lines[:5] == ["rows read: 4", "created: 2", "updated: 0", "unchanged: 0", "rejected: 2"]
    assert lines[5].startswith("row 3: id_number: ")
    assert lines[6].startswith("row 6: industry: ")  # line numbers of the file, header = 1
    assert f.resident_id_for(2)[:17] not in output
    assert set(Worker.objects.values_list("external_id", flat=True)) == {"MT-1", "MT-3"}

    # Re-importing updates instead of duplicating.
    text = f"{WORKER_HEADER}\nMT-3,王五,,,express,,320402,,,\n"
    output = run("import_workers", write(tmp_path, "again.csv", text), "--source", "meituan")
    assert "updated: 1" in output and "created: 0" in output
    assert Worker.objects.count() == 2
    assert Worker.objects.get(external_id="MT-3").industry == world.express


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_row_numbers_stay_line_numbers_after_a_cell_over_several_lines(world, tmp_path, newline):
    text = newline.join(
        [
            f"{WORKER_HEADER},note",
            f'MT-1,张三,,,food_delivery,,,,,,"a note{newline}on two lines"',
            "MT-2,李四,,,nope,,,,,,",
            f'MT-3,王五,,,food_delivery,,,,,,"three{newline}more{newline}lines"',
            "MT-4,赵六,,,nope,,,,,,",
        ]
    )
    path = tmp_path / "notes.csv"
    path.write_bytes(text.encode())
    lines = run("import_workers", str(path), "--source", "meituan").splitlines()
    assert lines[:5] == ["rows read: 4", "created: 2", "updated: 0", "unchanged: 0", "rejected: 2"]
    assert lines[5].startswith("row 4: industry: ")
    assert lines[6].startswith("row 8: industry: ")


def test_a_byte_order_mark_and_any_column_order_are_fine(world, tmp_path):
    columns = list(reversed(WORKER_COLUMNS))
    values = {"external_id": "X-1", "name": "张三", "region_code": "320402"}
    text = ",".join(columns) + "\n" + ",".join(values.get(c, "") for c in columns) + "\n"
    path = write(tmp_path, "bom.csv", text, encoding="utf-8-sig")
    assert "created: 1" in run("import_workers", path, "--source", "survey-2026")
    assert Worker.objects.get().region == world.district_a


def test_a_wrong_header_fails_and_names_the_missing_columns(world, tmp_path):
    path = write(tmp_path, "bad.csv", "external_id,name,phone\nMT-1,张三,\n")
    with pytest.raises(CommandError) as exc:
        run("import_workers", path, "--source", "meituan")
    assert "id_number" in str(exc.value) and "work_lng" in str(exc.value)
    assert not Worker.objects.exists()


def test_an_unreadable_file_fails(world, tmp_path):
    with pytest.raises(CommandError):
        run("import_workers", str(tmp_path / "missing.csv"), "--source", "meituan")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(CommandError):
        run("import_workers", str(broken), "--source", "meituan")


def test_xlsx_files_are_read_too(world, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(WORKER_COLUMNS))
    sheet.append(
        ["MT-9", "钱七", f.resident_id_for(9), int(f.phone_for(9)), "express"] + [None] * 5
    )
    path = tmp_path / "roster.xlsx"
    book.save(path)
    assert "created: 1" in run("import_workers", str(path), "--source", "meituan")
    worker = Worker.objects.get()
    assert worker.phone == f.phone_for(9) and worker.industry == world.express


def test_user_option_applies_that_users_scope(world, tmp_path):
    text = (
        f"{WORKER_HEADER}\n"
        f"E-1,张三,,,express,{world.ent_express_a.uscc},,,,\n"
        f"D-1,李四,,,food_delivery,{world.ent_delivery_a.uscc},,,,\n"
    )
    path = write(tmp_path, "scoped.csv", text)
    output = run("import_workers", path, "--source", "survey", "--user", "sec_delivery")
    assert "created: 1" in output and "row 2: enterprise_uscc: " in output
    with pytest.raises(CommandError):
        run("import_workers", path, "--source", "survey", "--user", "nobody")


def test_dry_run_writes_nothing(world, tmp_path):
    path = write(tmp_path, "r.csv", f"{WORKER_HEADER}\nMT-1,张三,,,,,,,,\n")
    output = run("import_workers", path, "--source", "meituan", "--dry-run")
    assert "created: 1" in output
    assert not Worker.objects.exists()


def test_import_members(world, tmp_path):
    header = ",".join(MEMBER_COLUMNS)
    text = "\n".join(
        [
            header,
            f"M-1,赵磊,{f.resident_id_for(501)},{f.phone_for(501)},full,br-delivery,,2010-07-01,false",
            f"M-2,孙杰,{f.resident_id_for(502)},,probationary,,安徽省阜阳市某村党支部,2026-03-01,true",
            f"M-3,钱敏,{f.resident_id_for(501)},,full,br-express,,2012-01-01,false",
            "M-4,周八,,,full,no-such-org,,,false",
        ]
    )
    output = run("import_members", write(tmp_path, "members.csv", text))
    lines = output.splitlines()
    assert lines[:5] == ["rows read: 4", "created: 2", "updated: 0", "unchanged: 0", "rejected: 2"]
    assert lines[5].startswith("row 4: id_number: ")  # the same ID number as row 2
    assert lines[6].startswith("row 5: organization_code: ")
    mobile = PartyMember.objects.get(member_id="M-2")
    assert mobile.is_mobile and mobile.home_organization_name == "安徽省阜阳市某村党支部"

    output = run("import_members", write(tmp_path, "members2.csv", f"{header}\nM-1,赵磊,,,,,,,\n"))
    assert "unchanged: 1" in output and PartyMember.objects.count() == 2


def test_import_members_needs_its_header(world, tmp_path):
    path = write(tmp_path, "m.csv", "member_id,name\nM-1,赵磊\n")
    with pytest.raises(CommandError) as exc:
        run("import_members", path)
    assert "organization_code" in str(exc.value)
