"""Door 2: the portal page ``members/import/`` and the admin import view — upload, preview with
masked values and per-row errors, confirm; writes only through the intake service."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from members.models import PartyMember, Worker
from members.services.intake import MEMBER_COLUMNS, WORKER_COLUMNS
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGE = "/members/import/"
ID_PATTERN = re.compile(r"\d{17}[\dX]")
PHONE_PATTERN = re.compile(r"(?<!\d)1\d{10}(?!\d)")


def worker_csv(*lines: str) -> SimpleUploadedFile:
    text = ",".join(WORKER_COLUMNS) + "\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile("roster.csv", text.encode("utf-8-sig"), content_type="text/csv")


def good_line(n: int, name: str = "张三") -> str:
    return f"MT-{n},{name},{f.resident_id_for(n)},{f.phone_for(n)},food_delivery,,320402,masses,,"


def upload(client, url=PAGE, kind="workers", source="meituan", file=None):
    return client.post(url, {"kind": kind, "source": source, "source_kind": "import", "file": file})


def test_preview_shows_counts_masked_values_and_row_errors_then_confirm_saves(client, world):
    client.force_login(world.staff)
    bad_id = f.resident_id_for(2)[:17] + ("1" if f.resident_id_for(2)[17] != "1" else "2")
    file = worker_csv(good_line(1), f"MT-2,李四,{bad_id},,food_delivery,,,,,", good_line(3))
    response = upload(client, file=file)
    assert response.status_code == 200
    html = response.content.decode()
    assert not Worker.objects.exists()  # a preview writes nothing
    assert not AuditEvent.objects.exists()
    assert not ID_PATTERN.search(html) and not PHONE_PATTERN.search(html)
    assert f.resident_id_for(1)[:4] + "**********" + f.resident_id_for(1)[-4:] in html
    assert response.context["report"].created == 2
    assert [(e.row, e.field) for e in response.context["errors"]] == [(3, "id_number")]
    token = response.context["token"]
    # The file waits in the session encrypted, never in clear.
    stored = str(dict(client.session.items()))
    assert "MT-1" not in stored and f.resident_id_for(1) not in stored

    response = client.post(PAGE, {"confirm": token})
    assert response.status_code == 200 and response.context["stage"] == "done"
    assert set(Worker.objects.values_list("external_id", flat=True)) == {"MT-1", "MT-3"}
    assert AuditEvent.objects.count() == 1
    # The confirmed file is gone from the session: confirming twice saves nothing twice.
    response = client.post(PAGE, {"confirm": token})
    assert response.context["stage"] == "upload" and response.context["flow_error"]


def test_xlsx_upload_and_reimport_updates(client, world):
    client.force_login(world.staff)
    f.WorkerFactory(source="meituan", external_id="MT-7", name="旧名")
    book = openpyxl.Workbook()
    book.active.append(list(WORKER_COLUMNS))
    book.active.append(["MT-7", "新名", None, None, "express", None, None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("roster.xlsx", buffer.getvalue())
    response = upload(client, file=file)
    assert response.context["report"].updated == 1
    client.post(PAGE, {"confirm": response.context["token"]})
    assert Worker.objects.get().name == "新名" and Worker.objects.count() == 1


def test_a_wrong_header_is_a_form_error(client, world):
    client.force_login(world.staff)
    file = SimpleUploadedFile("x.csv", b"external_id,name\nMT-1,A\n")
    response = upload(client, file=file)
    assert response.context["stage"] == "upload"
    assert "id_number" in str(response.context["form"].errors["file"])


def test_a_worker_roster_needs_a_source_name(client, world):
    client.force_login(world.staff)
    response = upload(client, source="", file=worker_csv(good_line(1)))
    assert "source" in response.context["form"].errors


def test_members_roster_through_the_portal(client, world):
    client.force_login(world.secretary_delivery)
    header = ",".join(MEMBER_COLUMNS)
    text = (
        f"{header}\nM-1,赵磊,,,full,br-delivery,,2010-07-01,false\n"
        "M-2,钱敏,,,full,br-express,,,false\n"
    )
    file = SimpleUploadedFile("m.csv", text.encode())
    response = upload(client, kind="members", source="", file=file)
    assert [(e.row, e.field) for e in response.context["errors"]] == [(3, "organization_code")]
    client.post(PAGE, {"confirm": response.context["token"]})
    assert list(PartyMember.objects.values_list("member_id", flat=True)) == ["M-1"]


def test_the_page_needs_login_and_the_add_worker_permission(client, world):
    assert client.get(PAGE).status_code == 302
    viewer = f.UserFactory(username="viewer")
    client.force_login(viewer)
    assert client.get(PAGE).status_code == 403
    client.force_login(world.district_officer)
    response = client.get(PAGE)
    assert response.status_code == 200
    # A district officer may import workers but not party members.
    assert [c[0] for c in response.context["form"].fields["kind"].choices] == ["workers"]


def test_the_upload_stays_in_memory(client, world, monkeypatch, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # Django would spill anything bigger to disk
    from django.core.files import uploadedfile

    def refuse(*args, **kwargs):
        raise AssertionError("the roster was written to a temporary file")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", refuse)
    client.force_login(world.staff)
    response = upload(client, file=worker_csv(good_line(1)))
    assert response.context["report"].created == 1


def test_admin_import_view_previews_and_confirms(client, world):
    client.force_login(world.staff)
    changelist = client.get("/admin/members/worker/")
    assert changelist.status_code == 200
    assert "/admin/members/worker/import/" in changelist.content.decode()
    url = "/admin/members/worker/import/"
    response = upload(client, url=url, file=worker_csv(good_line(1), good_line(2)))
    assert response.status_code == 200 and response.context["report"].created == 2
    assert not ID_PATTERN.search(response.content.decode())
    client.post(url, {"confirm": response.context["token"]})
    assert Worker.objects.count() == 2


def test_admin_import_of_a_secretary_is_scoped(client, world):
    client.force_login(world.secretary_delivery)
    url = "/admin/members/worker/import/"
    line = f"E-1,张三,,,express,{world.ent_express_a.uscc},,,,"
    response = upload(client, url=url, file=worker_csv(line, good_line(1)))
    assert [(e.row, e.field) for e in response.context["errors"]] == [(2, "enterprise_uscc")]


def test_admin_pages_of_imported_people_show_only_masked_values(client, world, people):
    client.force_login(world.staff)
    for url in (
        f"/admin/members/worker/{people.worker_delivery.pk}/change/",
        f"/admin/members/partymember/{people.member_delivery.pk}/change/",
        "/admin/members/worker/",
        "/admin/members/partymember/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not ID_PATTERN.search(html) and not PHONE_PATTERN.search(html), url
    client.force_login(world.secretary_express)
    response = client.get(f"/admin/members/worker/{people.worker_delivery.pk}/change/")
    assert response.status_code == 404
