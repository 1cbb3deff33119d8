"""Meeting photos: checked by their content (core.images), stripped of their metadata, kept in
the private storage and shown only to staff in the meeting's scope; at most
``BRANCHLIFE_MEETING_MAX_PHOTOS`` per meeting; a refused upload writes and stores nothing; a
removed photo's file leaves the storage when the removal commits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from branchlife import services
from branchlife.models import MeetingPhoto
from core import images
from core.models import AuditEvent
from tests.base import api_client, assert_error_format, jpeg_with_gps, stored_files

from .helpers import meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(private_storage):
    return private_storage


@pytest.fixture
def held(world):
    return meeting(world.branch_delivery, when=timezone.now())


def test_a_photo_is_stored_privately_without_its_metadata(world, held, private_root):
    photo = services.meeting_photo_add(
        actor=world.secretary_delivery, meeting=held, upload=jpeg_with_gps("家里.jpg")
    )
    assert photo.content_type == "image/jpeg" and (photo.width, photo.height) == (64, 48)
    assert photo.uploaded_by == world.secretary_delivery
    [path] = stored_files(private_root)
    assert "家里" not in path.name and path.suffix == ".jpg"
    with Image.open(path) as kept:
        exif = kept.getexif()
        assert not exif.get_ifd(0x8825) and 0x010F not in exif
    assert AuditEvent.objects.filter(verb="meeting_photo_add").count() == 1


def test_a_non_image_and_an_oversize_file_are_refused(world, held, private_root, monkeypatch):
    fake = SimpleUploadedFile("minutes.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.meeting_photo_add(actor=world.secretary_delivery, meeting=held, upload=fake)
    assert "photo" in caught.value.message_dict
    monkeypatch.setattr(images, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as caught:
        services.meeting_photo_add(
            actor=world.secretary_delivery, meeting=held, upload=jpeg_with_gps()
        )
    assert "MB" in " ".join(caught.value.message_dict["photo"])
    assert not MeetingPhoto.objects.exists() and not stored_files(private_root)
    assert not AuditEvent.objects.filter(verb="meeting_photo_add").exists()


def test_a_meeting_keeps_at_most_the_configured_number(world, held, private_root, settings):
    settings.BRANCHLIFE_MEETING_MAX_PHOTOS = 2
    for n in range(2):
        services.meeting_photo_add(
            actor=world.secretary_delivery, meeting=held, upload=jpeg_with_gps(f"{n}.jpg")
        )
    with pytest.raises(ValidationError) as caught:
        services.meeting_photo_add(
            actor=world.secretary_delivery, meeting=held, upload=jpeg_with_gps("3.jpg")
        )
    assert "photo" in caught.value.message_dict
    assert MeetingPhoto.objects.count() == 2 and len(stored_files(private_root)) == 2


def test_only_the_meetings_scope_sees_or_adds_photos(client, world, held, private_root):
    photo = services.meeting_photo_add(
        actor=world.secretary_delivery, meeting=held, upload=jpeg_with_gps()
    )
    url = f"/branchlife/meeting-photos/{photo.pk}/"
    client.force_login(world.secretary_delivery)
    page = client.get(f"/branchlife/meetings/{held.pk}/").content.decode()
    assert url in page and 'accept="image/*"' in page and 'for="id_photo"' in page
    zh = client.get(f"/branchlife/meetings/{held.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    text = zh.content.decode()
    assert "上传照片" in text and "会议照片 1" in text
    assert "Meeting photo" not in text and "Upload photo" not in text
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "no-store" in served["Cache-Control"]
    client.force_login(world.secretary_express)
    assert client.get(url).status_code == 404
    answer = client.post(f"/branchlife/meetings/{held.pk}/photos/", {"photo": jpeg_with_gps()})
    assert answer.status_code == 404
    assert client.post(f"/branchlife/meeting-photos/{photo.pk}/remove/").status_code == 404
    with pytest.raises(ValidationError):
        services.meeting_photo_add(
            actor=world.secretary_express, meeting=held, upload=jpeg_with_gps()
        )
    assert MeetingPhoto.objects.count() == 1 and len(stored_files(private_root)) == 1


def test_the_portal_form_shows_a_refusal_on_the_field(client, world, held, private_root):
    client.force_login(world.secretary_delivery)
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    answer = client.post(f"/branchlife/meetings/{held.pk}/photos/", {"photo": fake})
    assert answer.status_code == 400
    assert "photo" in answer.context["photo_form"].errors
    assert not MeetingPhoto.objects.exists() and not stored_files(private_root)
    answer = client.post(f"/branchlife/meetings/{held.pk}/photos/", {"photo": jpeg_with_gps()})
    assert answer.status_code == 302 and MeetingPhoto.objects.count() == 1


def test_the_api_uploads_lists_and_removes_photos(
    world, held, private_root, django_capture_on_commit_callbacks
):
    api = api_client(world.secretary_delivery)
    base = f"/api/v1/branchlife/meetings/{held.pk}/"
    created = api.post(f"{base}photos/", {"photo": jpeg_with_gps()}, format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["content_type"] == "image/jpeg" and body["width"] == 64
    assert body["url"].endswith(f"/branchlife/meeting-photos/{body['id']}/")
    assert [p["id"] for p in api.get(base).json()["photos"]] == [body["id"]]
    fake = SimpleUploadedFile("x.jpg", b"nope", content_type="image/jpeg")
    refused = api.post(f"{base}photos/", {"photo": fake}, format="multipart")
    assert "photo" in assert_error_format(refused, 400)["fields"]
    other = api_client(world.secretary_express)
    assert (
        other.post(f"{base}photos/", {"photo": jpeg_with_gps()}, format="multipart").status_code
        == 404
    )
    assert other.delete(f"{base}photos/{body['id']}/").status_code == 404
    assert len(stored_files(private_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        removed = api.delete(f"{base}photos/{body['id']}/")
    assert removed.status_code == 204
    assert not MeetingPhoto.objects.exists() and not stored_files(private_root)
    assert AuditEvent.objects.filter(verb="meeting_photo_remove").count() == 1


def test_removal_deletes_the_file_on_commit(
    world, held, private_root, django_capture_on_commit_callbacks
):
    photo = services.meeting_photo_add(
        actor=world.secretary_delivery, meeting=held, upload=jpeg_with_gps()
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.meeting_photo_remove(actor=world.secretary_delivery, photo=photo)
    assert len(stored_files(private_root)) == 1  # not before the commit
    for callback in callbacks:
        callback()
    assert not stored_files(private_root) and not MeetingPhoto.objects.exists()
