"""The SLA calendar outlives its built-in year: official holidays and make-up workdays come
from chinese-calendar into the holiday table (a command, on the spot for a missing year), a
system check warns while next year is missing, and a year nobody can supply is an error,
never a silent Monday–Friday."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from appeals import sla
from appeals.checks import check_next_year_in_holiday_table
from appeals.models import Holiday, HolidayYear
from appeals.services.holidays import package_years
from core.models import AuditEvent

from .conftest import local

pytestmark = pytest.mark.django_db

KNOWN = 2025  # in every chinese-calendar release this project accepts
UNKNOWN = max(package_years()) + 1


def test_the_built_in_year_is_marked_loaded():
    assert HolidayYear.objects.filter(year=2026).exists()


def test_import_command_loads_holidays_and_make_up_workdays():
    Holiday.objects.filter(date__year=KNOWN).delete()
    call_command("import_holidays", str(KNOWN))
    # Spring Festival 2025: 28 January – 4 February off; Sunday 26 January and Saturday
    # 8 February worked.
    assert not Holiday.objects.get(date=dt.date(2025, 1, 29)).is_workday
    assert Holiday.objects.get(date=dt.date(2025, 1, 29)).name == "春节"
    assert Holiday.objects.get(date=dt.date(2025, 1, 26)).is_workday
    assert Holiday.objects.get(date=dt.date(2025, 2, 8)).name == "春节调休"
    year = HolidayYear.objects.get(year=KNOWN)
    assert year.source == HolidayYear.Source.PACKAGE
    assert AuditEvent.objects.filter(object_id=str(year.pk), verb="import holidays").exists()
    # Again: the same rows, nothing doubled.
    count = Holiday.objects.filter(date__year=KNOWN).count()
    call_command("import_holidays", str(KNOWN))
    assert Holiday.objects.filter(date__year=KNOWN).count() == count


def test_import_of_a_year_the_package_lacks_fails_loudly():
    with pytest.raises(CommandError, match=str(UNKNOWN)):
        call_command("import_holidays", str(UNKNOWN))
    assert not HolidayYear.objects.filter(year=UNKNOWN).exists()


def test_the_sla_imports_a_missing_year_on_the_spot():
    """A due time in a year without rows: the year comes from chinese-calendar first, so the
    Spring Festival is not counted as working days."""
    Holiday.objects.filter(date__year=KNOWN).delete()
    HolidayYear.objects.filter(year=KNOWN).delete()
    # Monday 27 January 2025 + 1 working day: the festival runs to 4 February, so Wednesday
    # 5 February (not Tuesday 28 January, as a plain Monday–Friday count would say).
    due = sla.add_working_days(local(2025, 1, 27, 10), 1)
    assert due.isoformat() == "2025-02-05T17:30:00+08:00"
    assert HolidayYear.objects.filter(year=KNOWN, source="chinese-calendar").exists()


def test_the_sla_refuses_a_year_nobody_can_supply(settings):
    settings.APPEALS_CALENDAR_MISSING_YEAR = "error"  # production's default
    start = local(UNKNOWN - 1, 12, 30, 10)
    HolidayYear.objects.get_or_create(year=UNKNOWN - 1, defaults={"source": "manual"})
    with pytest.raises(sla.CalendarYearMissing, match=str(UNKNOWN)):
        sla.add_working_days(start, 5)


def test_counting_weekdays_for_an_unknown_year_is_an_explicit_logged_choice(settings, caplog):
    settings.APPEALS_CALENDAR_MISSING_YEAR = "weekdays"
    HolidayYear.objects.get_or_create(year=UNKNOWN - 1, defaults={"source": "manual"})
    Holiday.objects.filter(date__gte=dt.date(UNKNOWN - 1, 12, 28)).delete()
    due = sla.add_working_days(local(UNKNOWN - 1, 12, 31, 10), 1)
    assert due.date() == next(
        dt.date(UNKNOWN, 1, d) for d in range(1, 8) if dt.date(UNKNOWN, 1, d).weekday() < 5
    )
    assert f"no holidays for {UNKNOWN}" in caplog.text
    assert not HolidayYear.objects.filter(year=UNKNOWN).exists()


def test_a_year_entered_by_hand_is_used_as_entered():
    HolidayYear.objects.create(year=UNKNOWN, source=HolidayYear.Source.MANUAL)
    Holiday.objects.create(date=dt.date(UNKNOWN, 1, 1), name="元旦")
    assert not sla.is_workday(dt.date(UNKNOWN, 1, 1))
    first_monday = next(
        dt.date(UNKNOWN, 1, d) for d in range(2, 9) if dt.date(UNKNOWN, 1, d).weekday() == 0
    )
    assert sla.is_workday(first_monday)


def test_the_check_warns_while_next_year_is_missing():
    today = dt.date(UNKNOWN - 1, 11, 20)
    with mock.patch("appeals.checks.timezone.localdate", return_value=today):
        warnings = check_next_year_in_holiday_table(databases=["default"])
        assert [w.id for w in warnings] == ["appeals.W001"]
        assert "chinese-calendar" in warnings[0].hint
        HolidayYear.objects.create(year=UNKNOWN, source=HolidayYear.Source.MANUAL)
        assert check_next_year_in_holiday_table(databases=["default"]) == []


def test_the_check_asks_the_database_only_when_told_to(django_assert_num_queries):
    """Every management command runs the system checks: only `migrate` and `check --database`
    pay for this one."""
    with django_assert_num_queries(0):
        assert check_next_year_in_holiday_table() == []


def test_the_check_names_the_command_when_the_package_has_the_year():
    HolidayYear.objects.filter(year=KNOWN).delete()
    with mock.patch("appeals.checks.timezone.localdate", return_value=dt.date(KNOWN - 1, 12, 1)):
        warnings = check_next_year_in_holiday_table(databases=["default"])
    assert f"import_holidays {KNOWN}" in warnings[0].hint


def test_the_yearly_beat_task_imports_next_year_when_the_package_has_it():
    from appeals.tasks import import_next_year_holidays

    HolidayYear.objects.filter(year=KNOWN).delete()
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(KNOWN - 1, 11, 1)):
        assert import_next_year_holidays.apply().get() > 0
    assert HolidayYear.objects.filter(year=KNOWN).exists()


def test_the_check_is_on_the_deployment_checklist_not_on_migrate():
    from django.core.checks import registry

    assert check_next_year_in_holiday_table in registry.registry.deployment_checks
    assert check_next_year_in_holiday_table not in registry.registry.get_checks(
        include_deployment_checks=False
    )
