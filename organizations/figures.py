"""Which slice of the city a figure counts: the region and industry a page (the dashboard's
``?region=``/``?industry=``) asks for, on top of the viewer's scope.

Every ``dashboard_figures`` and statistics selector narrows its querysets with
:meth:`FigureFilter.q` over its own region and industry paths, so a card counts the same
records as the page it links to. A management zone (常州经开区) covers the streets it manages,
which statutorily stay in their districts, so a zone's filter is its own subtree plus theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q

from .choices import RegionLevel
from .models import Industry, Region


@dataclass(frozen=True)
class FigureFilter:
    region: Region | None = None
    industry: Industry | None = None

    @property
    def empty(self) -> bool:
        return self.region is None and self.industry is None

    @cached_property
    def region_prefixes(self) -> tuple[str, ...]:
        if self.region is None:
            return ()
        prefixes = [self.region.path]
        if self.region.level == RegionLevel.ZONE:
            prefixes += list(self.region.managed_streets.values_list("path", flat=True))
        return tuple(prefixes)

    def region_q(self, *fields: str) -> Q:
        """Records whose region (the first of ``fields`` that is set, e.g. a worker's own
        region, else their employer's) lies in the chosen region; everything when none."""
        if self.region is None or not fields:
            return Q()
        q = Q()
        for i, name in enumerate(fields):
            inside = Q()
            for prefix in self.region_prefixes:
                inside |= Q(**{f"{name}__path__startswith": prefix})
            earlier = Q(**{f"{f}__isnull": True for f in fields[:i]}) if i else Q()
            q |= earlier & inside
        return q

    def industry_q(self, *fields: str) -> Q:
        """Records of the chosen industry (the first of ``fields`` that is set)."""
        if self.industry is None or not fields:
            return Q()
        q = Q()
        for i, name in enumerate(fields):
            earlier = Q(**{f"{f}__isnull": True for f in fields[:i]}) if i else Q()
            q |= earlier & Q(**{name: self.industry})
        return q

    def q(self, *, region: tuple[str, ...] | str = (), industry: tuple[str, ...] | str = ()) -> Q:
        region = (region,) if isinstance(region, str) else region
        industry = (industry,) if isinstance(industry, str) else industry
        return self.region_q(*region) & self.industry_q(*industry)

    def describe(self, *, by_industry: bool = True, by_region: bool = True) -> dict[str, Any]:
        """What a set of cards covers, for the page to say: the region and industry applied,
        and the choices the cards could not follow."""
        return {
            "region": self.region if by_region else None,
            "industry": self.industry if by_industry else None,
            "ignored_region": self.region if not by_region else None,
            "ignored_industry": self.industry if not by_industry else None,
        }


NO_FILTER = FigureFilter()


def _by_code(model, code: str | None):
    """The record of a ``?region=``/``?industry=`` code; none for a code no record can have
    (control characters never reach the database)."""
    max_length = model._meta.get_field("code").max_length
    if not code or len(code) > max_length or any(ord(c) < 32 or ord(c) == 127 for c in code):
        return None
    return model.objects.filter(code=code).first()


def figure_filter_from(params: Any) -> FigureFilter:
    """The filter a page's query string asks for (``region`` and ``industry`` codes)."""
    return FigureFilter(
        region=_by_code(Region, params.get("region")),
        industry=_by_code(Industry, params.get("industry")),
    )
