"""Opening hours across midnight and 24 hours; the 6+X verdict is derived, never typed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from stations import services
from stations.compliance import verdict
from stations.hours import is_open_at
from stations.models import Facility, OpeningHours, Station

SH = ZoneInfo("Asia/Shanghai")
FRIDAY_EVENING = [(4, dt.time(18), dt.time(2))]  # Friday 18:00 – Saturday 02:00


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (dt.datetime(2026, 12, 4, 17, 59, tzinfo=SH), False),  # Friday before opening
        (dt.datetime(2026, 12, 4, 18, 0, tzinfo=SH), True),
        (dt.datetime(2026, 12, 4, 23, 59, tzinfo=SH), True),
        (dt.datetime(2026, 12, 5, 1, 30, tzinfo=SH), True),  # Saturday, still Friday's period
        (dt.datetime(2026, 12, 5, 2, 0, tzinfo=SH), False),  # closing time is exclusive
        (dt.datetime(2026, 12, 5, 18, 30, tzinfo=SH), False),  # Saturday evening: no period
        (dt.datetime(2026, 12, 4, 1, 30, tzinfo=SH), False),  # Friday early: Thursday has none
    ],
)
def test_overnight_period(moment, expected):
    assert is_open_at(is_24h=False, rows=FRIDAY_EVENING, moment=moment) is expected


def test_utc_moments_are_read_in_shanghai_time():
    # 17:30 UTC on Friday is 01:30 on Saturday in Shanghai: inside Friday's overnight period.
    moment = dt.datetime(2026, 12, 4, 17, 30, tzinfo=dt.UTC)
    assert is_open_at(is_24h=False, rows=FRIDAY_EVENING, moment=moment)


def test_sunday_night_runs_into_monday():
    rows = [(6, dt.time(22), dt.time(6))]
    assert is_open_at(is_24h=False, rows=rows, moment=dt.datetime(2026, 12, 7, 5, 0, tzinfo=SH))
    assert not is_open_at(is_24h=False, rows=rows, moment=dt.datetime(2026, 12, 7, 7, tzinfo=SH))


def test_a_24_hour_station_is_always_open():
    for hour in (0, 3, 12, 23):
        moment = dt.datetime(2026, 12, 6, hour, tzinfo=SH)
        assert is_open_at(is_24h=True, rows=[], moment=moment)
    assert not is_open_at(is_24h=False, rows=[], moment=dt.datetime(2026, 12, 6, 12, tzinfo=SH))


def test_equal_opening_and_closing_is_refused(placed, world):
    with pytest.raises(ValidationError) as error:
        services.station_set_hours(
            actor=world.staff,
            station=placed.station_b,
            rows=[{"weekday": 0, "opens": dt.time(9), "closes": dt.time(9)}],
        )
    assert "opening_hours" in error.value.message_dict
    # Nothing changed: the seven daily rows are still there.
    assert OpeningHours.objects.filter(station=placed.station_b).count() == 7


def test_verdict_names_what_is_missing(catalogue):
    everything = [catalogue[c] for c in ("fan_or_ac", "microwave", "water", "charging")]
    result = verdict(everything, catalogue.values())
    assert not result.compliant
    assert set(result.missing_facilities) == {"tables_chairs", "first_aid"}
    assert set(result.missing_principles) == {"rest", "medicine"}


def test_principles_are_checked_even_when_the_six_are_present(catalogue):
    Facility.objects.filter(code="first_aid").update(medicine=False)
    catalogue_now = list(Facility.objects.all())
    six = [f for f in catalogue_now if f.required]
    result = verdict(six, catalogue_now)
    assert result.missing_facilities == ()
    assert result.missing_principles == ("medicine",)
    assert not result.compliant


def test_compliance_is_stored_and_follows_the_facilities(placed, world):
    assert Station.objects.get(pk=placed.station_a.pk).compliant is True
    assert Station.objects.get(pk=placed.station_b.pk).compliant is False
    result = services.station_set_facilities(
        actor=world.staff,
        station=placed.station_b,
        facilities=[f.code for f in Facility.objects.filter(required=True)],
    )
    assert result.compliant
    assert Station.objects.get(pk=placed.station_b.pk).compliant is True
    # Typing the verdict through a service changes nothing: it is re-derived.
    services.station_set_facilities(actor=world.staff, station=placed.station_b, facilities=[])
    services.station_update(actor=world.staff, station=placed.station_b, data={"name": "新名字"})
    assert Station.objects.get(pk=placed.station_b.pk).compliant is False


def test_a_station_needs_a_host(world):
    with pytest.raises(ValidationError) as error:
        services.station_create(
            actor=world.staff,
            data={
                "name": "无主驿站",
                "kind": "red_station",
                "region": world.district_a,
                "address": "x",
                "latitude": 31.7,
                "longitude": 119.9,
            },
        )
    assert "host_enterprise" in error.value.message_dict
    assert not Station.objects.filter(name="无主驿站").exists()


def test_latitude_out_of_range_is_a_field_error(world):
    with pytest.raises(ValidationError) as error:
        services.station_create(
            actor=world.staff,
            data={
                "name": "x",
                "kind": "red_station",
                "host_enterprise": world.ent_delivery_a,
                "region": world.district_a,
                "address": "x",
                "latitude": 95,
                "longitude": 119.9,
            },
        )
    assert "latitude" in error.value.message_dict
