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
from .common import _require_city_wide, _split

lecturer_create, lecturer_update, lecturer_delete = writes.crud(
    Lecturer, "lecturer", guard=_require_city_wide
)


_COURSE_M2M = ("lecturers", "industries")


def course_create(*, actor: Any, data: dict[str, Any]) -> Course:
    """A course on the menu, with its lecturers and audience industries."""
    _require_city_wide(actor)
    fields, related = _split(data, _COURSE_M2M)
    with transaction.atomic():
        course = writes.create(actor=actor, model=Course, data=fields, related=related)
    return course


def course_update(*, actor: Any, course: Course, data: dict[str, Any]) -> Course:
    _require_city_wide(actor)
    fields, related = _split(data, _COURSE_M2M)
    with transaction.atomic():
        course = writes.update(actor=actor, instance=course, data=fields, related=related)
    return course


def course_delete(*, actor: Any, course: Course) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=course)


site_create, site_update, site_delete = writes.crud(EducationSite, "site", guard=_require_city_wide)


pack_create, pack_update, pack_delete = writes.crud(ResourcePack, "pack", guard=_require_city_wide)


resource_create, resource_update, resource_delete = writes.crud(
    LearningResource, "resource", guard=_require_city_wide
)
