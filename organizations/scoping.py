"""The one place that decides who sees what (DESIGN.md §4).

Every scoped model declares ``scope = ScopeRule(...)``: the lookup paths from the model to the
party organization, region, industry and platform it belongs to. :func:`restrict` turns a user's
grants into one ``Q`` over those paths; admin, API, portal lists, exports and filter choices all
go through it. A model without a rule is reference data, visible to every signed-in user.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeRule:
    """How a model relates to the scope dimensions.

    Each value is a lookup path to the related object ("" means the model itself is the
    organization), or ``None`` when the model has no such relation.
    """

    #: One path, or several (a party member belongs to the organization holding the relation
    #: and to the one hosting them); any of them in the user's subtree makes the record visible.
    organization: str | tuple[str, ...] | None = None
    region: str | None = None
    industry: str | None = None
    platform: str | None = None
    #: For ``Enterprise``: a platform headquarters belongs to its own platform scope.
    platform_self: bool = False
    #: Path to the user who submitted the record (partners see what they submitted).
    submitted_by: str | None = None
    #: Path(s) to the task-force member unit(s) (``Department``) the record is assigned to: the
    #: staff of a member unit see what is assigned to their unit.
    department: str | tuple[str, ...] | None = None


def _join(path: str, field: str) -> str:
    return f"{path}__{field}" if path else field


def _paths(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Grants:
    """A user's grants, resolved once per request."""

    city_wide: bool
    organizations: tuple  # PartyOrganization instances
    regions: tuple  # (path prefixes,) per region grant, zones expanded to their streets
    platform_ids: tuple
    user_id: int | None
    department_ids: tuple = ()


def grants_for(user: AbstractBaseUser | None) -> Grants:
    """The grants of ``user``, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Grants(False, (), (), (), None, ())
    cached = getattr(user, "_scope_grants", None)
    if cached is not None:
        return cached
    from .choices import GrantKind
    from .models import Region, ScopeGrant

    rows = list(
        ScopeGrant.objects.filter(user=user).select_related(
            "organization__region", "region", "platform", "department"
        )
    )
    city = user.is_superuser or any(g.kind == GrantKind.CITY for g in rows)
    orgs = tuple(g.organization for g in rows if g.kind == GrantKind.ORGANIZATION)
    region_grants = [g.region for g in rows if g.kind == GrantKind.REGION]
    prefixes: list[str] = [r.path for r in region_grants]
    zone_ids = [r.pk for r in region_grants if r.level == "zone"]
    if zone_ids:
        prefixes += list(
            Region.objects.filter(managed_by_id__in=zone_ids).values_list("path", flat=True)
        )
    platforms = tuple(g.platform_id for g in rows if g.kind == GrantKind.PARTNER)
    departments = tuple(g.department_id for g in rows if g.kind == GrantKind.DEPARTMENT)
    grants = Grants(city, orgs, tuple(prefixes), platforms, user.pk, departments)
    user._scope_grants = grants
    return grants


def is_city_wide(user) -> bool:
    return grants_for(user).city_wide


def require_city_wide(user, message: str) -> None:
    """Refuse (with ``message``) a write that only city-wide staff may make."""
    if not is_city_wide(user):
        raise ValidationError(message)


def rule_for(model: type[models.Model]) -> ScopeRule | None:
    rule = getattr(model, "scope", None)
    return rule if isinstance(rule, ScopeRule) else None


def scope_q(model: type[models.Model], user) -> Q | None:
    """The filter for what ``user`` sees of ``model``; ``None`` means everything."""
    rule = rule_for(model)
    grants = grants_for(user)
    if grants.user_id is None:
        return NOTHING
    if rule is None or grants.city_wide:
        return None
    parts: list[Q] = []
    for org in grants.organizations:
        for path in _paths(rule.organization):
            parts.append(Q(**{_join(path, "path__startswith"): org.path}))
        # An industry committee's work list: every unit of its industry in its region.
        if org.kind == "industry_committee" and org.industry_id and rule.industry is not None:
            q = Q(**{rule.industry: org.industry_id})
            if org.region_id and rule.region is not None:
                q &= Q(**{_join(rule.region, "path__startswith"): org.region.path})
            parts.append(q)
    if rule.region is not None:
        parts += [Q(**{_join(rule.region, "path__startswith"): p}) for p in grants.regions]
    if grants.platform_ids:
        if rule.platform is not None:
            parts.append(Q(**{f"{rule.platform}__in": grants.platform_ids}))
        if rule.platform_self:
            parts.append(Q(pk__in=grants.platform_ids))
        if rule.submitted_by is not None:
            parts.append(Q(**{rule.submitted_by: grants.user_id}))
    if grants.department_ids:
        # A to-many path (records assigned to several units) can repeat rows: restrict()
        # then filters by primary key instead of joining.
        for path in _paths(rule.department):
            parts.append(Q(**{f"{path}__in": grants.department_ids}))
    if not parts:
        return NOTHING
    return reduce(or_, parts)


def restrict(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` narrowed to what ``user`` may see. The single choke point."""
    q = scope_q(queryset.model, user)
    if q is None:
        return queryset
    if q == NOTHING:
        return queryset.none()
    if _has_to_many_path(queryset.model):
        # A record assigned to several units would come back once per unit: filter by key.
        return queryset.filter(pk__in=queryset.model._default_manager.filter(q).values("pk"))
    return queryset.filter(q)


def _has_to_many_path(model: type[models.Model]) -> bool:
    """Whether a scope path of ``model`` crosses a to-many relation (only ``department`` paths
    may; the organization, region, industry and platform paths are all to-one)."""
    rule = rule_for(model)
    if rule is None:
        return False
    for path in _paths(rule.department):
        current = model
        for name in path.split("__"):
            field = current._meta.get_field(name)
            if field.many_to_many or field.one_to_many:
                return True
            current = field.related_model
    return False


def visible(model: type[models.Model], user) -> QuerySet:
    return restrict(model._default_manager.all(), user)


def ensure_in_scope(user, instance: models.Model, changed: frozenset[str] | None = None) -> None:
    """Raise a field-level ``ValidationError`` unless ``instance`` and every scoped object it
    now points to are visible to ``user``. Services call it inside their transaction after the
    write, so that a refusal rolls the write back.

    ``changed`` limits the foreign keys checked to those the write changed: a secretary may
    edit their own committee although its parent lies outside their scope.
    """
    if is_city_wide(user):
        return
    errors: dict[str, str] = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        if changed is not None and field.name not in changed:
            continue
        target_id = getattr(instance, field.attname)
        if target_id is None or rule_for(field.related_model) is None:
            continue
        if not visible(field.related_model, user).filter(pk=target_id).exists():
            errors[field.name] = _("This %(model)s is outside your scope.") % {
                "model": field.related_model._meta.verbose_name
            }
    if errors:
        raise ValidationError(errors)
    scoped = rule_for(type(instance)) is not None and instance.pk is not None
    if scoped and not visible(type(instance), user).filter(pk=instance.pk).exists():
        raise ValidationError(_("This record would fall outside your scope; nothing was saved."))


def openable_ids(model: type[models.Model], user, ids) -> frozenset:
    """Which of ``ids`` (records of ``model``) ``user`` may open, in one query: a page links a
    person or record only if its page would not answer 404 (else it shows the name as text)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return frozenset()
    return frozenset(visible(model, user).filter(pk__in=wanted).values_list("pk", flat=True))


def restrict_choices(field_queryset: QuerySet, user) -> QuerySet:
    """Foreign-key and filter choices: the same rule as lists."""
    return restrict(field_queryset, user)


def resolve(model: type[models.Model], user, **lookup) -> models.Model | None:
    """The one object of ``model`` matching ``lookup`` that ``user`` can see, else ``None``.

    The scoped lookup for references a write names (an id, a roster reference, a code): an
    unknown reference and one outside the user's scope give the same ``None``, so the caller
    answers both alike. An empty ``lookup`` or one matching several objects gives ``None``.
    """
    if not lookup or any(v in (None, "") for v in lookup.values()):
        return None
    found = list(visible(model, user).filter(**lookup)[:2])
    return found[0] if len(found) == 1 else None
