"""List pages straight from ``.values()``: the same JSON as the serializer, without model
instances or per-row field objects.

A list action reads its page with one ``.values()`` query whose columns a *plan* derives once
from the serializer's readable fields (per serializer class and :meth:`variant`), then builds
each row as a dict of those columns. Only fields whose output is known to equal the
serializer's take part:

* model fields by source (``name``, ``parent.code`` across to-one relations), with the DRF
  field's own ``to_representation`` where it is not the identity (dates, datetimes, decimals);
* ``PrimaryKeyRelatedField`` (the ``<fk>_id`` column) and ``SlugRelatedField`` (``<fk>__slug``);
* a field with ``values_column() -> (lookup, function)`` (e.g. the masked-PII field), or a
  serializer's ``values_columns = {name: (lookup, function)}`` for computed fields; a
  :class:`PerRequest` function is made once per request (what it looks up once: the time
  zone, the language of a message).

Anything else (a custom ``to_representation``, a method field not declared, a to-many source)
makes the plan ``None`` and the endpoint serializes as before. ``API_VALUES_LISTS = False`` turns
the path off; ``tests/democity/test_values_lists.py`` compares both paths on every list endpoint.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models, router
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework.fields import Field, SkipField
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .compiled import CompiledPage

#: DRF fields whose ``to_representation`` returns what the database gave (for these models'
#: column types): no per-value call needed.
logger = logging.getLogger(__name__)

_IDENTITY = (
    serializers.CharField,
    serializers.SlugField,
    serializers.EmailField,
    serializers.URLField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.FloatField,
)
#: DRF fields whose own ``to_representation`` is called per value.
_CONVERTED = (
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.DecimalField,
    serializers.UUIDField,
    serializers.JSONField,
)


@dataclass(frozen=True)
class Plan:
    lookups: tuple[str, ...]
    #: (output name, lookup, function or None, apply to None too)
    columns: tuple[tuple[str, str, Callable[[Any], Any] | None, bool], ...]

    def values(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.values(*self.lookups)

    def rows(self, page) -> list[dict[str, Any]]:
        functions = [f() if isinstance(f, PerRequest) else f for _n, _l, f, _z in self.columns]
        return list(map(self._row_maker(*functions), page))

    @functools.cached_property
    def _row_maker(self) -> Callable[..., Callable[[dict], dict[str, Any]]]:
        """A function of the columns' functions that returns the row builder: one dict
        display written for this plan (as ``collections.namedtuple`` writes its class), not
        a loop over the columns for every value of every row."""
        items = []
        for index, (name, lookup, function, none_too) in enumerate(self.columns):
            value = f"row[{lookup!r}]"
            if function is not None:
                call = f"f{index}({value})"
                value = call if none_too else f"({call} if {value} is not None else None)"
            items.append(f"{name!r}: {value}")
        params = ", ".join(f"f{i}" for i in range(len(self.columns)))
        source = f"def make({params}):\n    return lambda row: {{{', '.join(items)}}}\n"
        namespace: dict[str, Any] = {}
        exec(compile(source, f"<values plan of {len(self.columns)} columns>", "exec"), namespace)
        return namespace["make"]


class PerRequest:
    """A column function made once per list request (by calling ``make``): for what is looked
    up once, not once per value — the time zone, the language of a message."""

    def __init__(self, make: Callable[[], Callable[[Any], Any]]) -> None:
        self.make = make

    def __call__(self) -> Callable[[Any], Any]:
        return self.make()


class _Unsupported(Exception):
    pass


def _model_lookup(model: type[models.Model], attrs: list[str]) -> tuple[str, models.Field]:
    """The ``__`` lookup of a source across to-one relations and its final model field."""
    current, parts = model, []
    for index, attr in enumerate(attrs):
        try:
            field = current._meta.get_field(attr)
        except FieldDoesNotExist:
            raise _Unsupported(attr) from None
        last = index == len(attrs) - 1
        if field.many_to_many or field.one_to_many or not field.concrete:
            raise _Unsupported(attr)
        parts.append(attr)
        if last:
            if field.is_relation:
                raise _Unsupported(attr)  # an object as a value: str(obj)
            return "__".join(parts), field
        if not field.is_relation:
            raise _Unsupported(attr)
        current = field.related_model
    raise _Unsupported("empty source")


def _column(model, name: str, field: Field, declared: dict) -> tuple:
    if name in declared:
        lookup, function = declared[name]
        return name, lookup, function, True
    values_column = getattr(field, "values_column", None)
    if values_column is not None:
        lookup, function = values_column()
        return name, lookup, function, True
    attrs = list(field.source_attrs)
    if field.source == "*" or not attrs:
        raise _Unsupported(name)
    if type(field).get_attribute not in (Field.get_attribute, relations.RelatedField.get_attribute):
        raise _Unsupported(name)
    if isinstance(field, relations.RelatedField):
        if len(attrs) != 1:
            raise _Unsupported(name)
        fk = model._meta.get_field(attrs[0])
        if not (fk.is_relation and fk.concrete and (fk.many_to_one or fk.one_to_one)):
            raise _Unsupported(name)
        # Subclasses that change only which rows input may name (the scoped fields) answer
        # like their base.
        if _answers_like(field, relations.PrimaryKeyRelatedField) and field.pk_field is None:
            return name, fk.attname, None, False
        if _answers_like(field, relations.SlugRelatedField) and "__" not in field.slug_field:
            return name, f"{attrs[0]}__{field.slug_field}", None, False
        raise _Unsupported(name)
    lookup, model_field = _model_lookup(model, attrs)
    base = _base(field)
    if base is serializers.ChoiceField:
        if all(isinstance(key, str) for key in field.choices):
            return name, lookup, None, False
        return name, lookup, field.to_representation, False
    if base in _IDENTITY:
        if base is serializers.FloatField and not isinstance(model_field, models.FloatField):
            return name, lookup, field.to_representation, False
        return name, lookup, None, False
    if base is serializers.DateTimeField and _plain_iso(field, api_settings.DATETIME_FORMAT):
        return name, lookup, _ISO_DATETIME, False
    if base is serializers.DateField and _plain_iso(field, api_settings.DATE_FORMAT):
        return name, lookup, _iso_date, False
    if base in _CONVERTED:
        return name, lookup, field.to_representation, False
    raise _Unsupported(name)


def _answers_like(field: Field, base: type) -> bool:
    return isinstance(field, base) and type(field).to_representation is base.to_representation


def _plain_iso(field, default) -> bool:
    """A date or datetime field in ISO 8601 (the settings' default), a datetime in the current
    time zone."""
    output = getattr(field, "format", default)
    return (
        isinstance(output, str)
        and output.lower() == ISO_8601
        and not hasattr(field, "timezone")
        and settings.USE_TZ
    )


def _iso_date(value):
    """``DateField.to_representation`` in ISO 8601, without its per-value settings lookups."""
    if not value:
        return None
    return value if isinstance(value, str) else value.isoformat()


def _iso_datetime():
    """``DateTimeField.to_representation`` for aware values from the database, with the
    time zone looked up once per request instead of once per value."""
    zone = timezone.get_current_timezone()

    def convert(value):
        if not value:
            return None
        if isinstance(value, str):
            return value
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


_ISO_DATETIME = PerRequest(_iso_datetime)


def _base(field: Field) -> type | None:
    """The DRF field class whose ``to_representation`` ``field`` uses (a subclass that only
    changes input, like a normalizing ``CharField``, counts as its base)."""
    method = type(field).to_representation
    for base in (serializers.ChoiceField, *_IDENTITY, *_CONVERTED):
        if isinstance(field, base) and method is base.to_representation:
            return base
    return None


def build_plan(serializer: serializers.ModelSerializer) -> Plan | None:
    """The plan of ``serializer`` (a list's child serializer), or ``None``."""
    cls = type(serializer)
    if cls.to_representation is not serializers.Serializer.to_representation:
        return None
    model = cls.Meta.model
    declared = getattr(cls, "values_columns", {})
    try:
        columns = tuple(
            _column(model, name, field, declared)
            for name, field in serializer.fields.items()
            if not field.write_only
        )
    except (_Unsupported, SkipField) as exc:
        logger.debug("%s: no values() list (%s)", cls.__name__, exc)
        return None
    lookups = tuple(dict.fromkeys(c[1] for c in columns))
    return Plan(lookups, columns)


_plans: dict[Any, Plan | None] = {}


class ValuesListMixin:
    """A viewset's ``list`` from ``.values()`` when its serializer allows (see the module)."""

    def values_plan(self) -> Plan | None:
        if not getattr(settings, "API_VALUES_LISTS", True):
            return None
        serializer_class = self.get_serializer_class()
        variant = getattr(serializer_class, "values_variant", None)
        if variant is None and _overrides_get_fields(serializer_class):
            return None
        key = (type(self), serializer_class, variant(self.request) if variant else None)
        if key not in _plans:
            plan = build_plan(self.get_serializer())
            if plan is not None:
                try:
                    plan.values(self.get_queryset())
                except (FieldError, FieldDoesNotExist):
                    plan = None
            _plans[key] = plan
        return _plans[key]

    def _filters_apply(self, request) -> bool:
        """Whether the filter backends can change this request's rows. A FilterSet whose
        parameters are all absent filters nothing (its filters skip empty values; none is
        required), so its form is not built for a plain page request."""
        paging = {"format"}
        for name in ("cursor_query_param", "page_size_query_param"):
            paging.add(getattr(self.paginator, name, None))
        if set(request.query_params) - paging:
            return True
        if type(self).filter_queryset is not GenericAPIView.filter_queryset:
            return True
        return not _only_django_filter(self.filter_backends)

    def list_sql_key(self) -> Hashable | None:
        """What this list's rows depend on besides the page and its columns, when that is
        all they depend on (then the page's SQL is compiled once per shape,
        ``core.api.compiled``); ``None`` otherwise. Views that know their queryset say so."""
        return None

    def list(self, request, *args, **kwargs):
        plan = self.values_plan()
        if plan is None:
            return super().list(request, *args, **kwargs)
        filtered = self._filters_apply(request)
        get_ordering = getattr(self.paginator, "get_ordering", None)
        key = None if filtered or get_ordering is None else self.list_sql_key()
        queryset = None if key is not None else self.get_queryset()
        # The cursor reads its position from the rows: its ordering columns come along. (No
        # ordering filter when unfiltered: the paginator's ordering needs no queryset then.)
        ordering = get_ordering(request, queryset, self) if get_ordering else ()
        extra = [f.lstrip("-") for f in ordering if f.lstrip("-") not in plan.lookups]
        if key is not None:
            model = self.queryset.model
            values = CompiledPage(
                key=(type(self), plan, *extra, key),
                build=lambda: self.get_queryset().values(*plan.lookups, *extra),
                model=model,
                using=router.db_for_read(model),
            )
        else:
            if filtered:
                queryset = self.filter_queryset(queryset)
            values = queryset.values(*plan.lookups, *extra)
        page = self.paginate_queryset(values)
        if page is None:
            return Response(plan.rows(values))
        return self.get_paginated_response(plan.rows(page))


def _only_django_filter(backends) -> bool:
    from django_filters.rest_framework import DjangoFilterBackend

    return all(backend is DjangoFilterBackend for backend in backends)


def _overrides_get_fields(serializer_class) -> bool:
    """Whether a serializer changes its fields by request (then it needs ``values_variant``).
    A class may declare that its ``get_fields`` keeps a list's readable fields as they are
    (``values_safe_get_fields = True`` in that very class)."""
    for klass in serializer_class.__mro__:
        if klass in (serializers.ModelSerializer, serializers.Serializer):
            return False
        if "get_fields" in vars(klass) and not vars(klass).get("values_safe_get_fields", False):
            return True
    return False
