"""The public appeal form states what personal information it collects, why, for how long and
who sees it, and sends nothing without consent (PIPL); it takes up to three photos, checked by
their content, stripped of their metadata, stored outside any public path and shown only to
staff in the appeal's scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from appeals.models import Appeal, AppealPhoto
from appeals.photos import services as photos
from tests.base import jpeg_with_gps

from .test_public import FILE, _form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(private_storage):
    return private_storage


def test_the_form_shows_the_notice_and_needs_consent(client, world, catalogues):
    page = client.get(FILE).content.decode()
    assert 'id="pi-notice-title"' in page and 'for="id_consent"' in page
    refused = client.post(FILE, _form(world, consent=""))
    assert refused.status_code == 400
    assert "consent" in refused.context["form"].errors
    assert not Appeal.objects.exists()
    accepted = client.post(FILE, _form(world))
    assert accepted.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.consented_at is not None and appeal.notice_version == "appeal-2026-12"


def test_photos_are_stripped_and_stored_privately(client, world, catalogues, _private_storage):
    data = _form(world, photos=[jpeg_with_gps("a.jpg"), jpeg_with_gps("b.jpg")])
    response = client.post(FILE, data)
    assert response.status_code == 302
    stored = list(AppealPhoto.objects.order_by("id"))
    assert len(stored) == 2
    for photo in stored:
        path = _private_storage / photo.file.name
        assert path.exists()  # under PRIVATE_MEDIA_ROOT
        with Image.open(path) as image:
            assert image.format == "JPEG"
            assert not image.getexif()  # no EXIF: no GPS, no camera
            assert "exif" not in image.info
        assert photo.content_type == "image/jpeg"


def test_photos_are_checked_by_content_and_count(client, world, catalogues):
    fake = SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = client.post(FILE, _form(world, photos=[fake]))
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    four = [jpeg_with_gps(f"{i}.jpg") for i in range(4)]
    response = client.post(FILE, _form(world, photos=four))
    assert response.status_code == 400
    assert not Appeal.objects.exists() and not AppealPhoto.objects.exists()


def test_a_large_file_is_refused(monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 100)
    with pytest.raises(Exception) as caught:
        photos.clean_photo(jpeg_with_gps())
    assert "MB" in str(caught.value)


def test_only_staff_in_scope_see_the_photos(client, world, catalogues):
    client.post(FILE, _form(world, photos=[jpeg_with_gps()]))
    appeal = Appeal.objects.get()
    photo = AppealPhoto.objects.get()
    url = f"/appeals/photos/{photo.pk}/"
    assert client.get(url).status_code in (302, 403)  # the public: no
    client.force_login(world.staff)
    detail = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert url in detail
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    b"".join(response.streaming_content)
    client.force_login(world.district_officer)  # the appeal is in street A, not district B
    assert client.get(url).status_code == 404
