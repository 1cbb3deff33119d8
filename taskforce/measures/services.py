"""Writes of the 18 measures: the catalogue (text, units, indicators) by the task force office,
and the quarterly reports by the reporting units (portal, API, admin)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import writes

from ..common import check, require_office, require_visible, split, user_or_none
from .models import Indicator, IndicatorReport, Measure

_MEASURE_M2M = ("responsible_units",)


def measure_create(*, actor: Any, data: dict[str, Any]) -> Measure:
    require_office(actor)
    fields, related = split(data, _MEASURE_M2M)
    return writes.create(actor=actor, model=Measure, data=fields, related=related, check=check)


def measure_update(*, actor: Any, measure: Measure, data: dict[str, Any]) -> Measure:
    require_office(actor)
    fields, related = split(data, _MEASURE_M2M)
    return writes.update(actor=actor, instance=measure, data=fields, related=related, check=check)


def measure_delete(*, actor: Any, measure: Measure) -> None:
    require_office(actor)
    writes.delete(actor=actor, instance=measure, check=check)


indicator_create, indicator_update, indicator_delete = writes.crud(
    Indicator, "indicator", guard=require_office, check=check
)


def _decimal(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"actual": _("Enter a number.")}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({"actual": _("Enter a number of at least 0.")})
    return number


def report_submit(
    *,
    actor: Any,
    indicator: Indicator,
    quarter: int,
    actual: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> IndicatorReport:
    """The actual of ``indicator`` for ``quarter`` of its year, by its reporting unit (or the
    office). A quarter reported again is corrected in place (the audit keeps the old value). A
    quarter that has not begun cannot be reported."""
    at = now or timezone.now()
    if not isinstance(indicator, Indicator):
        raise ValidationError({"indicator": _("Unknown record, or outside your scope.")})
    require_visible(actor, indicator, "indicator")
    try:
        quarter = int(quarter)
    except (TypeError, ValueError):
        quarter = 0
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("The quarter is 1, 2, 3 or 4.")})
    today = timezone.localtime(at).date()
    starts = dt.date(indicator.year, 3 * quarter - 2, 1)
    if starts > today:
        raise ValidationError({"quarter": _("This quarter has not begun yet.")})
    number = _decimal(actual)
    data = {
        "actual": number,
        "note": note or "",
        "reported_by": user_or_none(actor),
        "reported_at": at,
    }
    with transaction.atomic():
        existing = (
            IndicatorReport.objects.select_for_update()
            .filter(indicator=indicator, quarter=quarter)
            .first()
        )
        if existing is not None:
            return writes.update(
                actor=actor, instance=existing, data=data, check=check, verb="correct report"
            )
        return writes.create(
            actor=actor,
            model=IndicatorReport,
            data={"indicator": indicator, "quarter": quarter, **data},
            check=check,
            verb="report",
        )


def report_create(*, actor: Any, data: dict[str, Any]) -> IndicatorReport:
    """The admin's and API's create: :func:`report_submit`."""
    return report_submit(
        actor=actor,
        indicator=data.get("indicator"),
        quarter=data.get("quarter"),
        actual=data.get("actual"),
        note=data.get("note", ""),
    )


def report_update(*, actor: Any, report: IndicatorReport, data: dict[str, Any]) -> IndicatorReport:
    return report_submit(
        actor=actor,
        indicator=report.indicator,
        quarter=report.quarter,
        actual=data.get("actual", report.actual),
        note=data.get("note", report.note),
    )


def report_delete(*, actor: Any, report: IndicatorReport) -> None:
    require_office(actor)
    writes.delete(actor=actor, instance=report, check=check)
