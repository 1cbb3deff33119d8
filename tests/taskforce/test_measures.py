"""The 18 measures: progress and the quarterly status computed from the units' reports,
overdue reports, and quarterly reporting with field errors that write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent
from taskforce.choices import QuarterStatus
from taskforce.measures import selectors, services
from taskforce.models import IndicatorReport
from tests.base import api_client

NOW = timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0))


def report(user, indicator, quarter, actual):
    return services.report_submit(
        actor=user, indicator=indicator, quarter=quarter, actual=actual, now=NOW
    )


@pytest.fixture
def reported(tf):
    # Postal: 100 stations, quarters add up: 30 + 20 = 50 → 50 %.
    report(tf.postal_staff, tf.postal_indicator, 1, "30")
    report(tf.postal_staff, tf.postal_indicator, 2, "20")
    # Market: a rate of 80 %, the latest quarter stands: 72 → 90 %.
    report(tf.market_staff, tf.market_indicator, 1, "60")
    report(tf.market_staff, tf.market_indicator, 2, "72")
    return tf


def test_progress_is_computed_from_the_reports(reported, world):
    board = {p.measure.pk: p for p in selectors.measure_board(world.staff, 2026, NOW)}
    progress = board[reported.measure.pk]
    rows = {row.indicator.pk: row for row in progress.indicators}
    assert rows[reported.postal_indicator.pk].value() == Decimal(50)
    assert rows[reported.postal_indicator.pk].percent == 50
    assert rows[reported.market_indicator.pk].value() == Decimal(72)
    assert rows[reported.market_indicator.pk].percent == 90
    assert progress.percent == 70  # (50 + 90) / 2
    # As of Q1: (30/100 + 60/80) / 2 = 52.5 % ≥ a quarter of the year: on track.
    assert progress.statuses[1] == QuarterStatus.ON_TRACK
    assert progress.statuses[2] == QuarterStatus.ON_TRACK  # 70 % ≥ 45 %
    # Q3 has no report at all; Q4 has begun but nobody reported either.
    assert progress.statuses[3] == QuarterStatus.NOT_REPORTED
    # Q3's reports were due ten working days after 30 September (National Day included):
    # overdue on 2 November for both indicators; Q4's are not due yet.
    assert sorted((i.pk, q) for i, q in progress.overdue) == sorted(
        [(reported.postal_indicator.pk, 3), (reported.market_indicator.pk, 3)]
    )
    # The measure without indicators has no progress.
    assert board[reported.other_measure.pk].percent == 0


def test_a_report_again_corrects_the_quarter(reported, world):
    report(reported.postal_staff, reported.postal_indicator, 2, "70")
    assert IndicatorReport.objects.filter(indicator=reported.postal_indicator).count() == 2
    board = {p.measure.pk: p for p in selectors.measure_board(world.staff, 2026, NOW)}
    assert board[reported.measure.pk].percent == 95  # (100 + 90) / 2
    assert board[reported.measure.pk].statuses[2] == QuarterStatus.ON_TRACK


@pytest.mark.parametrize(
    ("quarter", "actual", "field"),
    [(5, "1", "quarter"), (1, "abc", "actual"), (1, "-3", "actual"), ("x", "1", "quarter")],
)
def test_bad_reports_get_field_errors_and_write_nothing(tf, quarter, actual, field):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        report(tf.postal_staff, tf.postal_indicator, quarter, actual)
    assert field in info.value.message_dict
    assert not IndicatorReport.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_quarter_that_has_not_begun_is_refused(tf):
    early = timezone.make_aware(dt.datetime(2026, 5, 1))
    with pytest.raises(ValidationError) as info:
        services.report_submit(
            actor=tf.postal_staff, indicator=tf.postal_indicator, quarter=3, actual=1, now=early
        )
    assert "quarter" in info.value.message_dict


def test_a_unit_cannot_report_another_units_indicator(tf):
    with pytest.raises(ValidationError) as info:
        report(tf.postal_staff, tf.market_indicator, 1, "10")
    assert "indicator" in info.value.message_dict
    assert not IndicatorReport.objects.exists()


def test_reporting_through_the_api(tf):
    client = api_client(tf.postal_staff)
    url = reverse("measure-report-list")
    ok = client.post(url, {"indicator": tf.postal_indicator.pk, "quarter": 1, "actual": "12.5"})
    assert ok.status_code == 201, ok.content
    row = IndicatorReport.objects.get()
    assert row.reported_by == tf.postal_staff and row.actual == Decimal("12.5")
    refused = client.post(url, {"indicator": tf.market_indicator.pk, "quarter": 1, "actual": "1"})
    assert refused.status_code == 400
    assert "indicator" in refused.json()["fields"]
    assert IndicatorReport.objects.count() == 1


def test_the_measures_page_and_its_xlsx(reported, client, world):
    client.force_login(world.staff)
    page = client.get(reverse("taskforce:measure_list"), {"year": 2026})
    assert page.status_code == 200
    assert f'value="{70}"' in page.content.decode()
    xlsx = client.get(reverse("taskforce:measure_list"), {"year": 2026, "format": "xlsx"})
    assert xlsx.status_code == 200
    from io import BytesIO

    book = load_workbook(BytesIO(xlsx.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    numbers = {r[0]: r for r in rows[1:]}
    assert numbers[reported.measure.policy.number][4] == 70


def test_the_measure_page_names_the_reporter_not_their_login(reported, client, world):
    """A quarter's figure showed "(unit_cyberspace)", the login, on a Chinese page."""
    reported.postal_staff.first_name = "邮政管理局工作人员"
    reported.postal_staff.save(update_fields=["first_name"])
    client.force_login(world.staff)
    url = reverse("taskforce:measure_detail", args=[reported.measure.pk])
    html = client.get(url, {"year": 2026}).content.decode()
    assert "(邮政管理局工作人员)" in html
    assert f"({reported.postal_staff.username})" not in html


def test_the_measure_page_writes_figures_with_separators(tf, client, world):
    """A target of 5000 people read "5000": the page writes 5,000 like every other page."""
    tf.postal_indicator.target = Decimal(5000)
    tf.postal_indicator.save(update_fields=["target"])
    report(tf.postal_staff, tf.postal_indicator, 1, "1500")
    client.force_login(world.staff)
    url = reverse("taskforce:measure_detail", args=[tf.measure.pk])
    html = client.get(url, {"year": 2026}).content.decode()
    assert "5,000" in html and "1,500" in html


def test_a_refused_quarterly_report_shows_the_error_at_its_field(tf, client):
    """A negative figure was answered by a list under the last form, the typed value gone: the
    error now stands under the field of the indicator reported, which keeps what was typed."""
    client.force_login(tf.postal_staff)
    url = reverse("taskforce:measure_detail", args=[tf.measure.pk]) + "?year=2026"
    pk = tf.postal_indicator.pk
    page = client.post(url, {"indicator": pk, "quarter": 1, "actual": "-5", "note": "站点"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="a-{pk}-error"' in html
    assert f'aria-describedby="a-{pk}-error"' in html
    assert 'value="-5"' in html and 'value="站点"' in html
    assert not IndicatorReport.objects.exists()
