"""The 18 measures with their units and indicators, reported quarterly."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from appeals.models import PolicyMeasure
from taskforce.models import (
    Indicator,
    IndicatorReport,
    Measure,
)

from . import data
from .common import (
    LEAD_CODE,
)

FRACTIONAL_UNITS = ("万人", "万人次", "%")


def _reported(value: Decimal, measure_unit: str) -> Decimal:
    """A quarter's figure as a unit reports it: 1 meeting, not 1.01."""
    step = Decimal("0.01") if measure_unit in FRACTIONAL_UNITS else Decimal("1")
    return value.quantize(step, rounding=ROUND_HALF_UP)


def seed_measures(rng, units, lead, today, unit_users) -> tuple[int, int]:
    policies = {p.number: p for p in PolicyMeasure.objects.all()}
    all_units = {**units, LEAD_CODE: lead}
    measures, m2m, indicators = [], [], []
    for number, (text, lead_code, responsible, specs) in sorted(data.MEASURES.items()):
        if number not in policies:
            continue
        measure = Measure(policy=policies[number], text=text, lead_unit=all_units[lead_code])
        measures.append((measure, responsible, specs))
    Measure.objects.bulk_create([m for m, _r, _s in measures])
    Through = Measure.responsible_units.through
    for measure, responsible, specs in measures:
        m2m += [Through(measure_id=measure.pk, department_id=units[c].pk) for c in responsible]
        for order, (name, unit, target, cumulative) in enumerate(specs):
            indicators.append(
                Indicator(
                    measure=measure,
                    year=today.year,
                    name=name,
                    measure_unit=unit,
                    target=Decimal(target),
                    cumulative=cumulative,
                    department=units[responsible[order % len(responsible)]],
                    sort_order=order,
                )
            )
    Through.objects.bulk_create(m2m)
    Indicator.objects.bulk_create(indicators)
    reports = []
    begun = [q for q in (1, 2, 3, 4) if dt.date(today.year, 3 * q - 2, 1) <= today]
    for indicator in indicators:
        pace = rng.uniform(0.7, 1.15)  # a measure ahead of or behind schedule
        user = unit_users.get(indicator.department.code)
        for q in begun:
            if q == 3 and rng.random() < 0.12:
                continue  # a missing Q3 report: overdue
            if q == 4 and rng.random() < 0.4:
                continue  # Q4's reports are not due yet
            target = indicator.target
            if indicator.cumulative:
                value = target / 4 * Decimal(str(round(pace * rng.uniform(0.8, 1.2), 2)))
            else:
                value = target * Decimal(str(round(min(1.1, pace * (0.6 + 0.1 * q)), 2)))
            quarter_end = dt.date(today.year, 3 * q, 28)
            reported = min(quarter_end + dt.timedelta(days=rng.randint(3, 12)), today)
            reports.append(
                IndicatorReport(
                    indicator=indicator,
                    quarter=q,
                    actual=_reported(value, indicator.measure_unit),
                    reported_by=user,
                    reported_at=timezone.make_aware(dt.datetime.combine(reported, dt.time(10))),
                    note="",
                )
            )
    IndicatorReport.objects.bulk_create(reports)
    return len(measures), len(reports)
