"""Due times in working time with the holiday table and make-up workdays (调休), under a frozen
clock (every service takes ``now``; ``timezone.now`` is patched where the service reads it)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from appeals import services, sla
from appeals.models import Holiday, SLAPolicy

from .conftest import local

pytestmark = pytest.mark.django_db


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def test_plain_weekdays_without_holidays():
    # Friday 10:00 + 3 working days → Wednesday, end of the working day.
    assert iso(sla.add_working_days(local(2026, 3, 6, 10), 3)) == "2026-03-11T17:30:00+08:00"
    # Friday 16:00 + 4 working hours: 1.5 h on Friday, 2.5 h from Monday 08:30.
    assert iso(sla.add_working_hours(local(2026, 3, 6, 16), 4)) == "2026-03-09T11:00:00+08:00"
    # Saturday counts from Monday morning.
    assert iso(sla.add_working_hours(local(2026, 3, 7, 12), 2)) == "2026-03-09T10:30:00+08:00"
    # Before opening, the count starts at 08:30.
    assert iso(sla.add_working_hours(local(2026, 3, 9, 6), 1)) == "2026-03-09T09:30:00+08:00"


def test_holidays_are_skipped():
    # Qingming 2026: 4–6 April (Sat–Mon). Friday 3 April + 1 working day → Tuesday 7 April.
    assert iso(sla.add_working_days(local(2026, 4, 3, 9), 1)) == "2026-04-07T17:30:00+08:00"
    # National Day: 1–7 October off; 30 September 17:00 + 2 working hours → 8 October 10:00.
    assert iso(sla.add_working_hours(local(2026, 9, 30, 17), 2)) == "2026-10-08T10:00:00+08:00"


def test_make_up_workdays_count():
    # 调休: Saturday 10 October 2026 is a working day. Friday 9 October + 1 → Saturday.
    assert iso(sla.add_working_days(local(2026, 10, 9, 9), 1)) == "2026-10-10T17:30:00+08:00"
    # Sunday 20 September is worked: Saturday 19 September 12:00 + 1 h → Sunday 09:30.
    assert iso(sla.add_working_hours(local(2026, 9, 19, 12), 1)) == "2026-09-20T09:30:00+08:00"


def test_the_table_decides_not_the_weekday():
    Holiday.objects.create(date=dt.date(2026, 3, 10), name="测试假日")
    assert not sla.is_workday(dt.date(2026, 3, 10))
    assert iso(sla.add_working_days(local(2026, 3, 9, 9), 1)) == "2026-03-11T17:30:00+08:00"
    Holiday.objects.create(date=dt.date(2026, 3, 14), name="测试调休", is_workday=True)
    assert sla.is_workday(dt.date(2026, 3, 14))


def test_emergencies_are_dispatched_within_one_clock_hour(catalogues):
    policy = sla.policy_for(catalogues["wages"].pk, "emergency")
    assert policy.round_the_clock and policy.dispatch_hours == 1
    # Saturday night during a holiday still means one hour.
    saturday = local(2026, 10, 3, 23, 30)
    assert iso(sla.dispatch_due(policy, saturday)) == "2026-10-04T00:30:00+08:00"


def test_category_row_wins_over_the_default(catalogues):
    assert sla.policy_for(catalogues["account_ban"].pk, "normal").reply_days == 3
    assert sla.policy_for(catalogues["family_children"].pk, "normal").reply_days == 5


def test_an_empty_table_falls_back(catalogues):
    SLAPolicy.objects.all().delete()
    assert sla.policy_for(catalogues["wages"].pk, "normal").reply_days == sla.FALLBACK["reply_days"]


def test_intake_under_a_frozen_clock_uses_the_calendar(world, catalogues):
    """No ``now`` passed: the service reads ``timezone.now``, frozen here on the Friday before
    National Day (30 September 2026, 15:00)."""
    frozen = local(2026, 9, 30, 15)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        appeal = services.appeal_create(
            actor=world.staff,
            data={
                "category": catalogues["wages"],
                "channel": "station",
                "description": "国庆前配送费被扣",
                "region": world.street_a,
            },
        )
    assert appeal.received_at == frozen
    # 8 working hours: 2.5 h on the 30th, then 5.5 h from 8 October 08:30 → 14:00.
    assert iso(appeal.due_at) == "2026-10-08T14:00:00+08:00"
    # Then 5 working days after the 8th (9, 10 (调休), 12, 13, 14 October) → 14 October 17:30.
    assert iso(appeal.expected_at) == "2026-10-14T17:30:00+08:00"
