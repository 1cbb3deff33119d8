"""References are scoped like ids (issue 20, deliverable 1).

Driven by the API's serializers: every writable related field (a reference by id or by code)
is tried with a target outside the acting user's scope and with one that does not exist; both
must be refused with the same answer, so that a reference can neither reach nor probe a record
the user cannot see.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField

from ecosystem.jobfairs.choices import PositionStatus
from organizations import scoping
from training.choices import ACTIVE_CLASS_STATUSES

from .conftest import SCOPED_LOGINS

pytestmark = pytest.mark.django_db

PROJECT_APPS = [*settings.PROJECT_APPS, "demo"]
MISSING_PK = 987_654_321
MISSING_SLUG = "no-such-reference-zz"


def _import_api_modules() -> None:
    """Every ``api`` module of the apps, also inside a feature subpackage
    (``appeals.assistance.api``), and whatever the URL configuration imports."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every routed view and its serializers
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "api" in info.name.split(".") and "migrations" not in info.name:
                importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def api_serializers() -> list[type[serializers.BaseSerializer]]:
    _import_api_modules()
    found = {
        c
        for c in _subclasses(serializers.BaseSerializer)
        if c.__module__.split(".")[0] in PROJECT_APPS and ".api" in c.__module__
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def writable_references(serializer) -> list[tuple[str, RelatedField]]:
    """``(name, relation)`` of every writable related field (the child of a to-many one)."""
    out = []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        relation = field.child_relation if isinstance(field, ManyRelatedField) else field
        if isinstance(relation, RelatedField):
            out.append((name, field))
    return out


def _value_of(relation: RelatedField, obj):
    slug = getattr(relation, "slug_field", None)
    return getattr(obj, slug) if slug else obj.pk


def _missing(relation: RelatedField):
    return MISSING_SLUG if getattr(relation, "slug_field", None) else MISSING_PK


def _messages(field, value) -> list[str] | None:
    """The field's error for ``value`` with the value itself blanked, or None if accepted."""
    given = [value] if isinstance(field, ManyRelatedField) else value
    try:
        field.run_validation(given)
    except serializers.ValidationError as exc:
        detail = exc.detail if isinstance(exc.detail, list) else [exc.detail]
        return [str(m).replace(str(value), "<value>") for m in detail]
    return None


#: References that deliberately reach past the scope, and what they still refuse: a partner
#: app or a secretary enrolls workers they can see in any class open for enrollment.
OPEN_REFERENCES = {
    ("EnrollmentSerializer", "training_class"): lambda qs: qs.exclude(
        status__in=ACTIVE_CLASS_STATUSES
    ),
    # Open positions are published listings: anyone signed in may apply to one.
    ("JobApplicationSerializer", "position"): lambda qs: qs.exclude(status=PositionStatus.OPEN),
}


def outside_scope(model, user, key=None):
    """A record of ``model`` that exists but ``user`` cannot see (nor reach through an open
    reference), or None."""
    queryset = model._default_manager.exclude(pk__in=scoping.visible(model, user).values("pk"))
    if key in OPEN_REFERENCES:
        queryset = OPEN_REFERENCES[key](queryset)
    return queryset.order_by("pk").first()


def test_every_writable_reference_answers_out_of_scope_like_unknown(demo_city):
    failures: list[str] = []
    checked: set[tuple[str, str]] = set()
    users = get_user_model().objects.filter(username__in=SCOPED_LOGINS)
    assert users.count() == len(SCOPED_LOGINS)
    for cls in api_serializers():
        for user in users:
            request = SimpleNamespace(user=user, method="POST", query_params={}, data={})
            try:
                serializer = cls(context={"request": request, "view": None})
                references = writable_references(serializer)
            except Exception as exc:
                failures.append(f"{cls.__qualname__}: cannot inspect ({exc!r})")
                break
            for name, field in references:
                relation = field.child_relation if isinstance(field, ManyRelatedField) else field
                model = relation.queryset.model if relation.queryset is not None else None
                if model is None or scoping.rule_for(model) is None:
                    continue
                target = outside_scope(model, user, (cls.__qualname__, name))
                if target is None:
                    continue
                checked.add((cls.__qualname__, name))
                foreign = _messages(field, _value_of(relation, target))
                unknown = _messages(field, _missing(relation))
                if foreign is None:
                    failures.append(
                        f"{cls.__module__}.{cls.__qualname__}.{name}: accepts "
                        f"{model._meta.label} #{target.pk} outside {user.username}'s scope"
                    )
                elif foreign != unknown:
                    failures.append(
                        f"{cls.__qualname__}.{name}: {foreign} differs from unknown {unknown}"
                    )
    # The references the hold-out probe wrote through are among those tried.
    assert {
        ("EnrollmentSerializer", "worker"),
        ("EnrollmentSerializer", "training_class"),
        ("SessionCheckInSerializer", "worker"),
        ("CheckInRequestSerializer", "worker"),
    } <= checked
    assert not failures, "\n".join(failures)


def _list_create_routes():
    """``(url name, view class)`` of every API route that creates through a serializer."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), namespace, pattern

    for route, namespace, pattern in walk(get_resolver().url_patterns, "", ""):
        cls = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None) or {}
        if not route.startswith("api/v1/") or cls is None or "<" in route:
            continue
        if actions.get("post") == "create" and getattr(cls, "serializer_class", None):
            yield f"{namespace}{pattern.name}", cls


def _field_error(response, name):
    if response.status_code != 400:
        return response.status_code
    errors = response.json().get("fields", {}).get(name)
    return errors


def test_every_create_endpoint_answers_an_out_of_scope_reference_like_an_unknown_one(demo_city):
    from django.urls import reverse

    from tests.base import api_client

    failures, checked = [], []
    users = list(get_user_model().objects.filter(username__in=SCOPED_LOGINS))
    for url_name, view in _list_create_routes():
        url = reverse(url_name)
        for user in users:
            request = SimpleNamespace(user=user, method="POST", query_params={}, data={})
            serializer = view.serializer_class(context={"request": request, "view": None})
            client = api_client(user)
            for name, field in writable_references(serializer):
                relation = field.child_relation if isinstance(field, ManyRelatedField) else field
                model = relation.queryset.model if relation.queryset is not None else None
                if model is None or scoping.rule_for(model) is None:
                    continue
                target = outside_scope(model, user, (view.serializer_class.__qualname__, name))
                if target is None:
                    continue
                value, missing = _value_of(relation, target), _missing(relation)
                if isinstance(field, ManyRelatedField):
                    value, missing = [value], [missing]
                foreign = client.post(url, {name: value})
                unknown = client.post(url, {name: missing})
                if foreign.status_code in (403, 405) and unknown.status_code == foreign.status_code:
                    continue  # this user may not create here at all
                checked.append((url, name, user.username))
                got = _field_error(foreign, name)
                want = _field_error(unknown, name)
                if not want or not isinstance(want, list):
                    failures.append(f"{url} {name}: an unknown target answers {unknown.content}")
                    continue
                text = [str(m).replace(str(_value_of(relation, target)), "<value>") for m in got]
                if text != [str(m).replace(str(_missing(relation)), "<value>") for m in want]:
                    failures.append(
                        f"{url} {name} as {user.username}: out of scope {got} vs unknown {want}"
                    )
    assert ("/api/v1/training/enrollments/", "worker", "sec_live_streaming") in checked
    assert not failures, "\n".join(failures)
