"""Duplicates offered at intake (and merged by a person) and hot-spot alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from appeals import selectors, services
from appeals.choices import EventKind, HotSpotSubject, InboxKind, Status
from appeals.models import HotSpotAlert, InboxMessage

from .conftest import MONDAY_9

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def test_same_phone_is_a_likely_duplicate(world, file_appeal, catalogues):
    first = file_appeal()
    other = file_appeal(
        category=catalogues["health"],
        enterprise=None,
        region=world.district_b,
        contact_phone="139-1234-5678",  # the same number, spelled differently
        now=MONDAY_9 + DAY,
    )
    assert list(selectors.duplicate_candidates(world.staff, other)) == [first]


def test_same_worker_as_submitter_and_as_contact(world, rider, file_appeal, catalogues):
    worker = rider
    first = file_appeal(submitter=worker, contact_phone="")
    second = file_appeal(
        contact_phone=worker.phone, category=catalogues["health"], now=MONDAY_9 + DAY
    )
    assert first in selectors.duplicate_candidates(world.staff, second)
    assert second in selectors.duplicate_candidates(world.staff, first)


def test_same_platform_category_and_place(world, file_appeal):
    first = file_appeal(contact_phone="13800000001")
    second = file_appeal(contact_phone="13800000002", now=MONDAY_9 + 2 * DAY)
    assert list(selectors.duplicate_candidates(world.staff, second)) == [first]


def test_the_window_comes_from_settings(world, file_appeal, settings):
    settings.APPEALS_DUPLICATE_DAYS = 3
    first = file_appeal()
    late = file_appeal(now=MONDAY_9 + 5 * DAY)
    assert first not in selectors.duplicate_candidates(world.staff, late)
    settings.APPEALS_DUPLICATE_DAYS = 10
    assert first in selectors.duplicate_candidates(world.staff, late)


def test_different_cases_are_not_offered(world, file_appeal, catalogues):
    file_appeal(contact_phone="13800000001")
    other = file_appeal(
        contact_phone="13800000002", category=catalogues["health"], now=MONDAY_9 + DAY
    )
    assert not selectors.duplicate_candidates(world.staff, other)


def test_candidates_outside_scope_are_not_offered(world, file_appeal):
    file_appeal()  # delivery, street A
    other = file_appeal(industry=world.delivery, now=MONDAY_9 + DAY)
    assert selectors.duplicate_candidates(world.secretary_delivery, other)
    assert not selectors.duplicate_candidates(world.secretary_express, other)


def test_merge_marks_the_duplicate_archived_with_an_event(world, file_appeal):
    first = file_appeal()
    second = file_appeal(now=MONDAY_9 + DAY)
    merged = services.appeal_merge(actor=world.staff, appeal=second, into=first)
    assert merged.status == Status.ARCHIVED and merged.duplicate_of == first
    assert merged.due_at is None
    event = merged.events.get(kind=EventKind.MERGE)
    assert first.reference in event.note
    # A merged appeal is never offered again, and a third points to the original.
    third = file_appeal(now=MONDAY_9 + 2 * DAY)
    assert list(selectors.duplicate_candidates(world.staff, third)) == [first]
    third = services.appeal_merge(actor=world.staff, appeal=third, into=merged)
    assert third.duplicate_of == first


def test_merge_refusals(world, file_appeal):
    first = file_appeal()
    with pytest.raises(ValidationError) as exc:
        services.appeal_merge(actor=world.staff, appeal=first, into=first)
    assert "into" in exc.value.message_dict
    express = file_appeal(industry=world.express, region=world.district_a, enterprise=None)
    with pytest.raises(ValidationError) as exc:
        services.appeal_merge(actor=world.secretary_delivery, appeal=first, into=express)
    assert "into" in exc.value.message_dict


def test_n_appeals_against_one_platform_raise_one_alert(
    world, file_appeal, settings, django_capture_on_commit_callbacks
):
    settings.APPEALS_HOTSPOT_N = 3
    settings.APPEALS_HOTSPOT_WINDOW_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            file_appeal(contact_phone=f"1380000000{n}", now=MONDAY_9 + n * DAY)
        assert not HotSpotAlert.objects.exists()
        for n in range(2, 5):
            file_appeal(contact_phone=f"1380000000{n}", now=MONDAY_9 + n * DAY)
    platform = HotSpotAlert.objects.get(subject=HotSpotSubject.PLATFORM)
    assert platform.platform == world.platform and platform.count == 5
    assert platform.region == world.city
    place = HotSpotAlert.objects.get(subject=HotSpotSubject.PLACE)
    assert place.region == world.street_a
    # One message per alert, to the delivery committee.
    messages = InboxMessage.objects.filter(kind=InboxKind.HOTSPOT)
    assert messages.count() == 2
    assert {m.recipient_organization for m in messages} == {world.committee_delivery}
    assert set(selectors.hotspot_alerts(world.secretary_delivery)) == {platform, place}
    assert not selectors.hotspot_alerts(world.secretary_express)


def test_appeals_outside_the_window_do_not_count(world, file_appeal, settings):
    settings.APPEALS_HOTSPOT_N = 3
    settings.APPEALS_HOTSPOT_WINDOW_DAYS = 2
    for n in range(4):
        file_appeal(contact_phone=f"1380000000{n}", now=MONDAY_9 + n * 3 * DAY)
    assert not HotSpotAlert.objects.exists()


def test_a_resolved_alert_lets_a_new_one_rise(world, file_appeal, settings):
    settings.APPEALS_HOTSPOT_N = 2
    for n in range(2):
        file_appeal(contact_phone=f"1380000000{n}", now=MONDAY_9 + n * DAY)
    alert = HotSpotAlert.objects.get(subject=HotSpotSubject.PLATFORM)
    services.hotspot_resolve(actor=world.staff, alert=alert)
    assert not selectors.hotspot_alerts(world.staff).filter(pk=alert.pk).exists()
    file_appeal(contact_phone="13800000009", now=MONDAY_9 + 2 * DAY)
    assert HotSpotAlert.objects.filter(subject=HotSpotSubject.PLATFORM, resolved=False).count() == 1
