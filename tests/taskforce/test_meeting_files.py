"""The office records a meeting from the portal (the form goes through
``services.meeting_create``), and attaches files to meeting documents and research outputs:
checked by their bytes (``core.attachments``), stored privately under a random name, sent back
under their original name to whoever may see the meeting or the campaign (404 otherwise)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import attachments
from core.models import AuditEvent
from organizations.choices import GrantKind
from organizations.roles import MEMBER_UNIT_STAFF
from taskforce import services
from taskforce.models import Campaign, Meeting, MeetingDocument, ResearchOutput
from taskforce.research import services as research_services
from tests import factories as f
from tests.base import stored_files


def test_the_office_records_a_meeting_from_the_portal(tf, client, world):
    """Meetings could only be entered in the admin or the API: the office records one from the
    meetings page; bad input answers field by field and writes nothing, a member unit cannot."""
    url = reverse("taskforce:meeting_new")
    link = f'href="{url}"'
    client.force_login(tf.postal_staff)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x"}).status_code == 403
    assert link not in client.get(reverse("taskforce:meeting_list")).content.decode()
    client.force_login(world.staff)
    assert link in client.get(reverse("taskforce:meeting_list")).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and 'name="attending_units"' in page.content.decode()
    meetings, events = Meeting.objects.count(), AuditEvent.objects.count()
    bad = client.post(
        url, {"kind": "party", "title": "", "held_on": "2026-13-01", "attending_units": "999999"}
    )
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"kind", "title", "held_on", "attending_units"}
    assert Meeting.objects.count() == meetings and AuditEvent.objects.count() == events
    done = client.post(
        url,
        {
            "kind": "progress",
            "title": "第二次推进会",
            "held_on": "2026-06-10",
            "place": "市委组织部会议室",
            "attending_units": [tf.postal.pk],
            "minutes": "通报各单位进展",
        },
    )
    meeting = Meeting.objects.get(title="第二次推进会")
    assert done.status_code == 302
    assert done["Location"] == reverse("taskforce:meeting_detail", args=[meeting.pk])
    assert list(meeting.attending_units.all()) == [tf.postal]
    assert meeting.place == "市委组织部会议室" and meeting.minutes == "通报各单位进展"
    assert AuditEvent.objects.count() > events
    # the unit that attended sees it, the other does not
    client.force_login(tf.postal_staff)
    assert client.get(done["Location"]).status_code == 200
    client.force_login(tf.market_staff)
    assert client.get(done["Location"]).status_code == 404


# --- files of meeting documents and research outputs ----------------------------------------

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture
def private(private_storage):
    return private_storage


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def test_uploads_are_recognised_by_their_bytes_not_their_name():
    def kind(content: bytes, name: str) -> str:
        return attachments.check_upload(SimpleUploadedFile(name, content)).kind

    assert kind(PDF, "anything.bin") == "pdf"
    assert kind(_zip(["[Content_Types].xml", "word/document.xml"]), "a.docx") == "docx"
    assert kind(_zip(["[Content_Types].xml", "xl/workbook.xml"]), "a.xlsx") == "xlsx"
    assert kind(b"\xff\xd8\xff\xe0" + b"\x00" * 20, "p.jpg") == "jpeg"
    assert kind(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "p.png") == "png"
    for content, name in (
        (EXE, "report.pdf"),
        (_zip(["evil.exe"]), "report.docx"),
        (b"PK\x03\x04broken", "report.xlsx"),
        (b"", "empty.pdf"),
        (b"<html>", "page.pdf"),
    ):
        with pytest.raises(ValidationError):
            attachments.check_upload(SimpleUploadedFile(name, content))
    with pytest.raises(ValidationError):
        attachments.check_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 100), max_bytes=50)


def test_a_meeting_document_file_is_checked_stored_privately_and_sent_to_attendees_only(
    tf, client, world, private
):
    url = reverse("taskforce:meeting_detail", args=[tf.meeting.pk])
    client.force_login(tf.postal_staff)
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' not in page  # no form for a member unit
    assert client.post(url, {"title": "x"}).status_code == 403
    client.force_login(world.staff)
    assert 'enctype="multipart/form-data"' in client.get(url).content.decode()
    docs, events = MeetingDocument.objects.count(), AuditEvent.objects.count()
    refused = client.post(
        url, {"title": "会议纪要", "file": SimpleUploadedFile("report.pdf", EXE, "application/pdf")}
    )
    assert refused.status_code == 200 and "file" in refused.context["form"].errors
    both = client.post(
        url,
        {
            "title": "会议纪要",
            "link": "https://docs.example/1",
            "file": SimpleUploadedFile("m.pdf", PDF),
        },
    )
    assert "link" in both.context["form"].errors
    neither = client.post(url, {"title": "会议纪要"})
    assert "file" in neither.context["form"].errors
    untitled = client.post(url, {"title": "", "file": SimpleUploadedFile("m.pdf", PDF)})
    assert "title" in untitled.context["form"].errors
    assert MeetingDocument.objects.count() == docs and AuditEvent.objects.count() == events
    assert stored_files(private) == []  # nothing left behind by a refusal
    done = client.post(
        url, {"title": "会议纪要", "file": SimpleUploadedFile("纪要 第1次.pdf", PDF)}
    )
    assert done.status_code == 302
    doc = MeetingDocument.objects.get(title="会议纪要")
    assert doc.file_name == "纪要 第1次.pdf" and doc.content_type == "application/pdf"
    assert "纪要" not in doc.file.name and doc.file.name.endswith(".pdf")  # a random name
    assert [p.read_bytes() for p in stored_files(private)] == [PDF]
    assert AuditEvent.objects.count() > events
    file_url = reverse("taskforce:document_file", args=[doc.pk])
    assert file_url in client.get(url).content.decode()
    # the unit that attended downloads it under its original name
    attended = f.UserFactory(username="attended", groups=[MEMBER_UNIT_STAFF])
    f.grant(attended, GrantKind.DEPARTMENT, department=tf.postal)
    client.force_login(attended)
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    assert response["X-Content-Type-Options"] == "nosniff"
    # a unit that did not attend: as unknown
    other = Meeting.objects.create(kind="special", title="专题会", held_on=dt.date(2026, 5, 6))
    other.attending_units.set([tf.market])
    secret = services.document_attach(
        actor=world.staff, meeting=other, title="专题纪要", upload=SimpleUploadedFile("s.pdf", PDF)
    )
    assert client.get(reverse("taskforce:document_file", args=[secret.pk])).status_code == 404
    client.force_login(tf.market_staff)
    assert client.get(reverse("taskforce:document_file", args=[secret.pk])).status_code == 200


def test_an_oversized_document_is_refused_and_nothing_is_stored(tf, world, private, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 1024)
    docs = MeetingDocument.objects.count()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError) as caught:
        services.document_attach(actor=world.staff, meeting=tf.meeting, title="大", upload=big)
    assert "file" in caught.value.message_dict
    assert MeetingDocument.objects.count() == docs and stored_files(private) == []


def test_a_member_unit_cannot_attach_through_the_service(tf, private):
    with pytest.raises(ValidationError):
        services.document_attach(
            actor=tf.postal_staff,
            meeting=tf.meeting,
            title="x",
            upload=SimpleUploadedFile("m.pdf", PDF),
        )
    assert stored_files(private) == []


def test_an_output_with_its_file_from_the_portal_and_the_api(tf, client, world, private):
    url = reverse("taskforce:campaign_detail", args=[tf.campaign.pk])
    client.force_login(world.staff)
    outputs = ResearchOutput.objects.count()
    refused = client.post(
        url,
        {"kind": "policy", "title": "制度文件", "file": SimpleUploadedFile("policy.docx", EXE)},
    )
    assert refused.status_code == 200 and "file" in refused.context["form"].errors
    assert ResearchOutput.objects.count() == outputs and stored_files(private) == []
    docx = _zip(["[Content_Types].xml", "word/document.xml"])
    done = client.post(
        url,
        {
            "kind": "policy",
            "title": "制度文件",
            "issued_on": "2026-06-30",
            "file": SimpleUploadedFile("关于加强新就业群体党建的意见.docx", docx),
        },
    )
    assert done.status_code == 302
    output = ResearchOutput.objects.get(title="制度文件")
    assert output.file_name == "关于加强新就业群体党建的意见.docx" and output.kind == "policy"
    client.force_login(tf.postal_staff)
    response = client.get(reverse("taskforce:output_file", args=[output.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == docx
    # a campaign the unit is not part of answers 404
    other = Campaign.objects.create(name="专项调研", starts_on=dt.date(2026, 7, 1))
    other.units.set([tf.market])
    hidden = research_services.output_attach(
        actor=world.staff,
        campaign=other,
        kind="record",
        title="实录",
        upload=SimpleUploadedFile("r.pdf", PDF),
    )
    assert client.get(reverse("taskforce:output_file", args=[hidden.pk])).status_code == 404


def test_files_are_uploaded_through_the_api_as_multipart(tf, client, world, private):
    url = reverse("taskforce-meeting-documents", args=[tf.meeting.pk])
    client.force_login(tf.postal_staff)
    assert (
        client.post(url, {"title": "x", "file": SimpleUploadedFile("m.pdf", PDF)}).status_code
        == 403
    )
    client.force_login(world.staff)
    docs, events = MeetingDocument.objects.count(), AuditEvent.objects.count()
    refused = client.post(url, {"title": "纪要", "file": SimpleUploadedFile("report.pdf", EXE)})
    assert refused.status_code == 400 and "file" in refused.json()["fields"]
    assert MeetingDocument.objects.count() == docs and AuditEvent.objects.count() == events
    assert stored_files(private) == []
    done = client.post(url, {"title": "纪要", "file": SimpleUploadedFile("纪要.pdf", PDF)})
    assert done.status_code == 201, done.content
    assert done.json()["file_name"] == "纪要.pdf" and AuditEvent.objects.count() > events
    linked = client.post(url, {"title": "通知", "link": "https://docs.example/notice"})
    assert linked.status_code == 201 and linked.json()["link"] == "https://docs.example/notice"
    out = client.post(
        reverse("research-campaign-outputs", args=[tf.campaign.pk]),
        {"kind": "compilation", "title": "调研汇编", "file": SimpleUploadedFile("c.pdf", PDF)},
    )
    assert out.status_code == 201, out.content
    assert ResearchOutput.objects.get(pk=out.json()["id"]).file_name == "c.pdf"


# --- removing a file (to replace it: remove, then attach the new one) ------------------------


def test_the_office_removes_a_document_and_its_file_from_the_portal(
    tf, client, world, private, django_capture_on_commit_callbacks
):
    doc = services.document_attach(
        actor=world.staff,
        meeting=tf.meeting,
        title="错传的纪要",
        upload=SimpleUploadedFile("m.pdf", PDF),
    )
    assert len(stored_files(private)) == 1
    page_url = reverse("taskforce:meeting_detail", args=[tf.meeting.pk])
    remove_url = reverse("taskforce:document_delete", args=[doc.pk])
    client.force_login(tf.postal_staff)  # attended the meeting, may see it, not remove
    assert remove_url not in client.get(page_url).content.decode()
    assert client.post(remove_url).status_code == 403
    assert MeetingDocument.objects.filter(pk=doc.pk).exists()
    client.force_login(world.staff)
    assert remove_url in client.get(page_url).content.decode()
    assert client.get(remove_url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(remove_url)
    assert done.status_code == 302 and done["Location"] == page_url
    assert not MeetingDocument.objects.filter(pk=doc.pk).exists()
    assert stored_files(private) == []
    assert AuditEvent.objects.filter(verb="document_delete", object_id=str(doc.pk)).exists()
    assert client.post(remove_url).status_code == 404


def test_an_output_and_its_file_are_removed_through_the_api(
    tf, client, world, private, django_capture_on_commit_callbacks
):
    output = research_services.output_attach(
        actor=world.staff,
        campaign=tf.campaign,
        kind="record",
        title="实录",
        upload=SimpleUploadedFile("r.pdf", PDF),
    )
    url = reverse("research-campaign-remove-output", args=[tf.campaign.pk, output.pk])
    client.force_login(tf.postal_staff)
    assert client.delete(url).status_code == 403
    client.force_login(world.staff)
    other = Campaign.objects.create(name="专项调研", starts_on=dt.date(2026, 7, 1))
    wrong = reverse("research-campaign-remove-output", args=[other.pk, output.pk])
    assert client.delete(wrong).status_code == 404  # not an output of that campaign
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(url).status_code == 204
    assert not ResearchOutput.objects.filter(pk=output.pk).exists()
    assert stored_files(private) == []


def test_a_document_removed_through_the_api_and_a_meeting_deleted_take_their_files(
    tf, client, world, private, django_capture_on_commit_callbacks
):
    first, second = (
        services.document_attach(
            actor=world.staff, meeting=tf.meeting, title=t, upload=SimpleUploadedFile("m.pdf", PDF)
        )
        for t in ("通知", "纪要")
    )
    assert len(stored_files(private)) == 2
    client.force_login(world.staff)
    url = reverse("taskforce-meeting-remove-document", args=[tf.meeting.pk, first.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(url).status_code == 204
    assert len(stored_files(private)) == 1 and second.file.name
    # a meeting whose decisions have tasks cannot be deleted: its files stay
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.meeting_delete(actor=world.staff, meeting=tf.meeting)
    assert len(stored_files(private)) == 1
    plain = services.meeting_create(
        actor=world.staff,
        data={"kind": "progress", "title": "临时会", "held_on": dt.date(2026, 5, 1)},
    )
    services.document_attach(
        actor=world.staff, meeting=plain, title="通知", upload=SimpleUploadedFile("n.pdf", PDF)
    )
    assert len(stored_files(private)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_delete(actor=world.staff, meeting=plain)
    assert len(stored_files(private)) == 1  # the deleted meeting's document file is gone
