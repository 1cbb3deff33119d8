"""Terms, probations and "within a month" land on real days, 29 February included."""

import datetime as dt

import pytest

from core.dates import add_months, add_years


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 31), -1, dt.date(2025, 2, 28)),
        (dt.date(2025, 12, 15), 1, dt.date(2026, 1, 15)),
        (dt.date(2026, 1, 15), -1, dt.date(2025, 12, 15)),
    ],
)
def test_months_end_on_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_a_term_from_29_february_ends_on_28_february():
    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
