"""Bounded filters: every numeric, year and date filter of every FilterSet (API and portal) takes
values in a documented range only, and anything outside it is a field error (400 on the API,
a form error on a portal list), never a 500 from the database or from ``datetime``.

Use these instead of django-filter's own (``tests/core/test_bounds.py`` walks every FilterSet
and fails on an unbounded one); :class:`BoundedFilterSet` maps the filters django-filter makes
from model fields (``Meta.fields``) to them too.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

#: Years a filter, a statistics page or a year field accepts.
YEAR_MIN, YEAR_MAX = 1900, 2100
DATE_MIN, DATE_MAX = dt.date(YEAR_MIN, 1, 1), dt.date(YEAR_MAX, 12, 31)
#: The largest id (and count) a filter accepts: a PostgreSQL ``bigint``.
ID_MAX = 2**63 - 1


def is_filtered(params, *ignored: str) -> bool:
    """Whether a list page's query chooses anything: a value other than the page, the export
    format and the ``ignored`` keys (the filter form then opens and offers to clear)."""
    skip = {"page", "format", *ignored}
    return any(v for k, v in params.items() if k not in skip)


def _date_bounds(kwargs: dict, low, high) -> None:
    kwargs["validators"] = [
        MinValueValidator(low),
        MaxValueValidator(high),
        *kwargs.get("validators", ()),
    ]


class YearFilter(django_filters.NumberFilter):
    """``?year=2026``: a whole year between :data:`YEAR_MIN` and :data:`YEAR_MAX`."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


class NumberFilter(django_filters.NumberFilter):
    """A number between ``min_value`` and ``max_value`` (by default 0 to :data:`ID_MAX`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class IdFilter(NumberFilter):
    """A record id: a whole number from 1 to :data:`ID_MAX`."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)


class DateFilter(django_filters.DateFilter):
    """A date between :data:`DATE_MIN` and :data:`DATE_MAX`."""

    def __init__(self, *args, **kwargs):
        _date_bounds(kwargs, DATE_MIN, DATE_MAX)
        super().__init__(*args, **kwargs)


class _BoundedDateTime:
    """A date-time within the years :data:`YEAR_MIN` to :data:`YEAR_MAX` (a day inside them at
    each end, so no time zone can carry a bound past ``datetime``'s range)."""

    def __init__(self, *args, **kwargs):
        _date_bounds(
            kwargs,
            dt.datetime(YEAR_MIN, 1, 2, tzinfo=dt.UTC),
            dt.datetime(YEAR_MAX, 12, 30, tzinfo=dt.UTC),
        )
        super().__init__(*args, **kwargs)


class IsoDateTimeFilter(_BoundedDateTime, django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time within the years :data:`YEAR_MIN` to :data:`YEAR_MAX`."""


class DateTimeFilter(_BoundedDateTime, django_filters.DateTimeFilter):
    """A date-time within the years :data:`YEAR_MIN` to :data:`YEAR_MAX`."""


#: Every filter class that is bounded (the test of every FilterSet accepts these).
BOUNDED = (YearFilter, NumberFilter, DateFilter, IsoDateTimeFilter, DateTimeFilter)

_BOUNDED_DEFAULTS = {
    **FILTER_FOR_DBFIELD_DEFAULTS,
    models.DateField: {"filter_class": DateFilter},
    models.DateTimeField: {"filter_class": IsoDateTimeFilter},
    models.IntegerField: {"filter_class": NumberFilter},
    models.BigIntegerField: {"filter_class": NumberFilter},
    models.SmallIntegerField: {"filter_class": NumberFilter},
    models.PositiveIntegerField: {"filter_class": NumberFilter},
    models.PositiveSmallIntegerField: {"filter_class": NumberFilter},
    models.PositiveBigIntegerField: {"filter_class": NumberFilter},
    models.AutoField: {"filter_class": IdFilter},
    models.BigAutoField: {"filter_class": IdFilter},
    models.DecimalField: {"filter_class": NumberFilter},
    models.FloatField: {"filter_class": NumberFilter},
}


class BoundedFilterSet(django_filters.FilterSet):
    """A FilterSet whose filters generated from model fields are the bounded ones."""

    FILTER_DEFAULTS = _BOUNDED_DEFAULTS
