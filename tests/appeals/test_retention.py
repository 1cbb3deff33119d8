"""The public notice's promise kept: an appeal archived longer ago than the retention period
loses its personal information (contact, link to the worker, description, place, photos and
their files); the appeal, its events and the figures stay; nothing younger or still open is
touched; a second run does nothing; the nightly beat runs it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from appeals.choices import EventKind, Status
from appeals.models import Appeal, AppealEvent, AppealPhoto
from appeals.services import retention
from core import retention as core_retention
from core.models import AuditEvent
from tests.base import stored_files

NOW = timezone.make_aware(dt.datetime(2030, 6, 1, 12, 0))


def _archived(file_appeal, rider, *, ago: dt.timedelta, photo: bool = False) -> Appeal:
    appeal = file_appeal(submitter=rider, location="人民路12号", latitude=31.78, longitude=119.95)
    Appeal.objects.filter(pk=appeal.pk).update(status=Status.ARCHIVED)
    AppealEvent.objects.create(
        appeal=appeal,
        kind=EventKind.ARCHIVE,
        at=NOW - ago,
        from_status=Status.VISITED,
        to_status=Status.ARCHIVED,
        to_level=appeal.level,
    )
    if photo:
        row = AppealPhoto(appeal=appeal, content_type="image/jpeg", size=3, width=1, height=1)
        row.file.save("p.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
        row.save()
    appeal.refresh_from_db()
    return appeal


def test_an_appeal_past_its_period_is_made_anonymous(
    file_appeal, rider, private_storage, django_capture_on_commit_callbacks
):
    old = _archived(file_appeal, rider, ago=dt.timedelta(days=3 * 365 + 2), photo=True)
    young = _archived(file_appeal, rider, ago=dt.timedelta(days=3 * 365 - 2), photo=True)
    still_open = file_appeal(submitter=rider)
    assert len(stored_files(private_storage)) == 2
    events_before = AppealEvent.objects.filter(appeal=old).count()

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.appeals_anonymize_past_retention(now=NOW) == 1

    old.refresh_from_db()
    assert old.contact_name == "" and old.contact_phone == "" and old.submitter_id is None
    assert old.location == "" and old.latitude is None and old.longitude is None
    assert "配送费" not in old.description and old.anonymized_at == NOW
    # what the figures need stays
    assert old.status == Status.ARCHIVED and old.category_id and old.region_id
    assert AppealEvent.objects.filter(appeal=old).count() == events_before
    assert not AppealPhoto.objects.filter(appeal=old).exists()
    assert len(stored_files(private_storage)) == 1  # the young appeal's file only
    audit = AuditEvent.objects.get(verb="appeal_anonymize")
    assert audit.object_id == str(old.pk) and "contact_phone" in audit.changes
    assert "13912345678" not in str(audit.changes) and "张师傅" not in str(audit.changes)
    assert AuditEvent.objects.filter(verb="appeal_photo_retention").count() == 1

    for kept in (young, still_open):
        kept.refresh_from_db()
        assert kept.contact_name == "张师傅" and kept.submitter_id == rider.pk
        assert kept.anonymized_at is None
    assert AppealPhoto.objects.filter(appeal=young).count() == 1

    assert retention.appeals_anonymize_past_retention(now=NOW) == 0  # idempotent


def test_the_period_is_the_one_the_notice_states(client, world):
    page = client.get("/appeals/public/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert f"诉求办理期间及归档后 {retention.RETENTION_YEARS} 年" in page
    cutoff = core_retention.cutoff(retention.RETENTION_YEARS, NOW)
    assert cutoff == NOW.replace(year=NOW.year - retention.RETENTION_YEARS)


def test_it_runs_nightly(file_appeal, rider):
    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "appeals.tasks.anonymize_past_retention" in tasks
    from appeals.tasks import anonymize_past_retention

    # archived eight years before NOW (2030): past the period on today's clock too
    due = _archived(file_appeal, rider, ago=dt.timedelta(days=8 * 365))
    assert anonymize_past_retention.apply().get() == 1
    due.refresh_from_db()
    assert due.anonymized_at is not None and due.contact_name == ""


@pytest.mark.parametrize("status", [Status.CLOSED, Status.VISITED])
def test_only_archived_appeals_are_touched(file_appeal, rider, status):
    appeal = _archived(file_appeal, rider, ago=dt.timedelta(days=5 * 365))
    Appeal.objects.filter(pk=appeal.pk).update(status=status)  # reopened since, say
    assert retention.appeals_anonymize_past_retention(now=NOW) == 0
