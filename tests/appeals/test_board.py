"""The appeal board starts with work: open and overdue appeals by due time, each with its due
time and a one-line summary; a hot-spot alert links to the appeals it counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.choices import HotSpotSubject, Status
from appeals.models import Appeal, HotSpotAlert
from appeals.views import summary_line
from tests.appeals.conftest import MONDAY_9

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _references(response) -> list[str]:
    return [appeal.reference for appeal, _overdue, _summary in response.context["rows"]]


def _due(appeal, delta):
    Appeal.objects.filter(pk=appeal.pk).update(due_at=timezone.now() + delta)


def test_the_board_opens_on_open_appeals_sorted_by_due_time(client, world, file_appeal):
    later = file_appeal(description="电动车在站点被盗，报警后无进展。")
    sooner = file_appeal(description="第一行说明问题\n第二行细节不进摘要")
    late = file_appeal(description="工伤后平台拒绝理赔")
    archived = file_appeal()
    _due(later, dt.timedelta(days=3))
    _due(sooner, dt.timedelta(hours=2))
    _due(late, -dt.timedelta(hours=5))
    Appeal.objects.filter(pk=archived.pk).update(status=Status.ARCHIVED, due_at=None)

    client.force_login(world.staff)
    response = client.get(reverse("appeals:board"))
    assert _references(response) == [late.reference, sooner.reference, later.reference]
    page = response.content.decode()
    assert archived.reference not in page
    row = page.split(f'data-reference="{late.reference}"')[1].split("</tr>")[0]
    due = timezone.localtime(Appeal.objects.get(pk=late.pk).due_at).strftime("%Y-%m-%d %H:%M")
    assert due in row and "overdue-flag" in row and "工伤后平台拒绝理赔" in row
    row = page.split(f'data-reference="{sooner.reference}"')[1].split("</tr>")[0]
    assert "第一行说明问题" in row and "第二行" not in row

    everything = client.get(reverse("appeals:board"), {"state": "all"})
    assert archived.reference in _references(everything)
    assert _references(client.get(reverse("appeals:board"), {"state": "overdue"})) == [
        late.reference
    ]
    assert _references(client.get(reverse("appeals:board"), {"state": "finished"})) == [
        archived.reference
    ]


def test_the_summary_is_one_short_line_without_id_or_phone_numbers():
    line = summary_line("\n  我的电话13912345678，身份证320402199001011234，" + "很长" * 40)
    assert "13912345678" not in line and "320402199001011234" not in line
    assert len(line) <= 40 and line.endswith("…")


def test_a_hotspot_alert_links_to_its_appeals(
    client, world, file_appeal, settings, catalogues, django_capture_on_commit_callbacks
):
    settings.APPEALS_HOTSPOT_N = 3
    settings.APPEALS_HOTSPOT_WINDOW_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        counted = [
            file_appeal(contact_phone=f"1380000000{n}", now=MONDAY_9 + n * DAY) for n in range(3)
        ]
        other = file_appeal(category=catalogues["health"], now=MONDAY_9)
    alert = HotSpotAlert.objects.get(subject=HotSpotSubject.PLATFORM)

    client.force_login(world.secretary_delivery)
    page = client.get(reverse("appeals:board"), {"state": "all"}).content.decode()
    assert f'href="?hotspot={alert.pk}"' in page

    response = client.get(reverse("appeals:board"), {"hotspot": alert.pk})
    assert sorted(_references(response)) == sorted(a.reference for a in counted)
    assert other.reference not in _references(response)

    # An alert outside the viewer's scope shows nothing (the same as no such alert).
    client.force_login(world.secretary_express)
    assert _references(client.get(reverse("appeals:board"), {"hotspot": alert.pk})) == []
    assert _references(client.get(reverse("appeals:board"), {"hotspot": 999999})) == []
