"""A list page's SQL compiled once per *shape*, not once per request.

Building a scoped, cursor-ordered ``.values()`` query and compiling it to SQL costs a list
endpoint more than running it (the ORM walks the scope's filter, every column and the
ordering on each request). The SQL of a page depends only on:

* what the view's rows are before paging (its class, its columns, the caller's scope filter:
  the *base key* the view gives, see ``organizations.scoped``),
* the paginator's ordering, whether a cursor position filters it (``<field>__lt`` or
  ``__gt``), and the page's offset and size;

the cursor's *position* is only a parameter. :class:`CompiledPage` stands in for the page's
queryset in DRF's cursor paginator: it records ``order_by``, the position ``filter`` and the
slice the paginator applies, and when iterated runs the SQL compiled for that shape (built
and compiled once, with a placeholder position, then reused with the real one). The rows go
through the compiler's own converters, so they are what ``.values()`` would give. On PostgreSQL
the SQL runs as a statement prepared once per connection (``core.api.prepared``).

A shape whose position cannot be found among the compiled parameters, or whose ordering
field is not an integer column, is run through the ORM as before. The cache holds at most
:data:`MAX_SHAPES` shapes per process (least recently used dropped).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections, models

from .prepared import Statement

MAX_SHAPES = 512
#: The placeholder position compiled into a shape's SQL (no row has a negative key).
_PLACEHOLDER = -7_345_019_283_746_501


@dataclass(frozen=True)
class _Shape:
    compiler: Any  # the SQL compiler, after as_sql
    converters: Any  # the compiler's converters of the selected columns, found once
    statement: Statement
    params: tuple
    position_index: int | None  # where the cursor position goes in ``params``
    names: tuple[str, ...]


_shapes: OrderedDict[Hashable, _Shape | None] = OrderedDict()
_lock = threading.Lock()


def _remember(key: Hashable, shape: _Shape | None) -> None:
    with _lock:
        _shapes[key] = shape
        _shapes.move_to_end(key)
        while len(_shapes) > MAX_SHAPES:
            _shapes.popitem(last=False)


def _recall(key: Hashable) -> tuple[bool, _Shape | None]:
    with _lock:
        if key in _shapes:
            _shapes.move_to_end(key)
            return True, _shapes[key]
    return False, None


def clear() -> None:
    with _lock:
        _shapes.clear()


def _integer_field(model: type[models.Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a lookup across relations or an annotation: not cached
        return False
    return isinstance(field, models.IntegerField | models.AutoField) and not field.is_relation


class CompiledPage:
    """The page queryset DRF's cursor paginator works on (``order_by``, one position
    ``filter``, a slice, then iteration); see the module."""

    def __init__(
        self,
        *,
        key: Hashable,
        build: Callable[[], models.QuerySet],
        model: type[models.Model],
        using: str,
        ordering: tuple[str, ...] = (),
        position: tuple[str, Any] | None = None,
        limits: tuple[int, int | None] | None = None,
    ) -> None:
        self.key, self.build, self.model, self.using = key, build, model, using
        self.ordering, self.position, self.limits = ordering, position, limits
        self._rows: list[dict] | None = None

    def _with(self, **changes) -> CompiledPage:
        state = {
            "key": self.key,
            "build": self.build,
            "model": self.model,
            "using": self.using,
            "ordering": self.ordering,
            "position": self.position,
            "limits": self.limits,
        }
        return CompiledPage(**{**state, **changes})

    # --- what the paginator calls -------------------------------------------------------------

    def order_by(self, *ordering: str) -> CompiledPage:
        return self._with(ordering=tuple(ordering))

    def filter(self, **lookups: Any) -> CompiledPage:
        if self.position is not None or len(lookups) != 1:
            raise TypeError("a compiled page takes one position filter")
        ((lookup, value),) = lookups.items()
        return self._with(position=(lookup, value))

    def __getitem__(self, item: slice) -> CompiledPage:
        if not isinstance(item, slice) or item.step is not None or self.limits is not None:
            raise TypeError("a compiled page takes one slice")
        return self._with(limits=(item.start or 0, item.stop))

    def __iter__(self) -> Iterator[dict]:
        if self._rows is None:
            self._rows = self._fetch()
        return iter(self._rows)

    # --- running it ---------------------------------------------------------------------------

    def _queryset(self, position_value: Any) -> models.QuerySet:
        queryset = self.build().order_by(*self.ordering)
        if self.position is not None:
            queryset = queryset.filter(**{self.position[0]: position_value})
        if self.limits is not None:
            start, stop = self.limits
            queryset = queryset[start:stop]
        return queryset

    def _shape_key(self) -> Hashable:
        lookup = self.position[0] if self.position is not None else None
        return (self.key, self.using, self.ordering, lookup, self.limits)

    def _compile(self) -> _Shape | None:
        if self.position is not None:
            field_name = self.position[0].rsplit("__", 1)[0]
            if not _integer_field(self.model, field_name):
                return None
        queryset = self._queryset(_PLACEHOLDER)
        compiler = queryset.query.get_compiler(using=self.using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a queryset that cannot match (``none()``): the ORM answers []
            return None
        index = None
        if self.position is not None:
            found = [i for i, p in enumerate(params) if type(p) is int and p == _PLACEHOLDER]
            if len(found) != 1:
                return None
            index = found[0]
        query = queryset.query  # the names as ``ValuesIterable`` gives them
        if query.selected:
            names = tuple(query.selected)
        else:
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            return None
        converters = compiler.get_converters(fields)
        return _Shape(compiler, converters, Statement(sql), tuple(params), index, names)

    def _fetch(self) -> list[dict]:
        key = self._shape_key()
        known, shape = _recall(key)
        if not known:
            shape = self._compile()
            _remember(key, shape)
        if shape is None:  # not cacheable: the ORM as usual
            value = self.position[1] if self.position is not None else None
            return list(self._queryset(value))
        params = list(shape.params)
        if shape.position_index is not None:
            params[shape.position_index] = int(self.position[1])
        raw = shape.statement.fetchall(connections[self.using], params)
        names = shape.names
        rows = shape.compiler.apply_converters(raw, shape.converters) if shape.converters else raw
        # A row may carry columns past the names (as in ``ValuesIterable``): zip stops there.
        return [dict(zip(names, row)) for row in rows]  # noqa: B905
