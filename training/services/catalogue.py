"""The catalogue (lecturers, courses, sites, resource packs and items), changed by city-wide
staff only."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core import writes

from ..models import (
    Course,
    EducationSite,
    LearningResource,
    Lecturer,
    ResourcePack,
)
from .common import _require_city_wide, _set_m2m, _split


def lecturer_create(*, actor: Any, data: dict[str, Any]) -> Lecturer:
    _require_city_wide(actor)
    return writes.create(actor=actor, model=Lecturer, data=data)


def lecturer_update(*, actor: Any, lecturer: Lecturer, data: dict[str, Any]) -> Lecturer:
    _require_city_wide(actor)
    return writes.update(actor=actor, instance=lecturer, data=data)


def lecturer_delete(*, actor: Any, lecturer: Lecturer) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=lecturer)


_COURSE_M2M = ("lecturers", "industries")


def course_create(*, actor: Any, data: dict[str, Any]) -> Course:
    """A course on the menu, with its lecturers and audience industries."""
    _require_city_wide(actor)
    fields, related = _split(data, _COURSE_M2M)
    with transaction.atomic():
        course = writes.create(actor=actor, model=Course, data=fields)
        _set_m2m(course, related)
    return course


def course_update(*, actor: Any, course: Course, data: dict[str, Any]) -> Course:
    _require_city_wide(actor)
    fields, related = _split(data, _COURSE_M2M)
    with transaction.atomic():
        course = writes.update(actor=actor, instance=course, data=fields)
        _set_m2m(course, related)
    return course


def course_delete(*, actor: Any, course: Course) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=course)


def site_create(*, actor: Any, data: dict[str, Any]) -> EducationSite:
    _require_city_wide(actor)
    return writes.create(actor=actor, model=EducationSite, data=data)


def site_update(*, actor: Any, site: EducationSite, data: dict[str, Any]) -> EducationSite:
    _require_city_wide(actor)
    return writes.update(actor=actor, instance=site, data=data)


def site_delete(*, actor: Any, site: EducationSite) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=site)


def pack_create(*, actor: Any, data: dict[str, Any]) -> ResourcePack:
    _require_city_wide(actor)
    return writes.create(actor=actor, model=ResourcePack, data=data)


def pack_update(*, actor: Any, pack: ResourcePack, data: dict[str, Any]) -> ResourcePack:
    _require_city_wide(actor)
    return writes.update(actor=actor, instance=pack, data=data)


def pack_delete(*, actor: Any, pack: ResourcePack) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=pack)


def resource_create(*, actor: Any, data: dict[str, Any]) -> LearningResource:
    _require_city_wide(actor)
    return writes.create(actor=actor, model=LearningResource, data=data)


def resource_update(
    *, actor: Any, resource: LearningResource, data: dict[str, Any]
) -> LearningResource:
    _require_city_wide(actor)
    return writes.update(actor=actor, instance=resource, data=data)


def resource_delete(*, actor: Any, resource: LearningResource) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=resource)
