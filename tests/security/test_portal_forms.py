"""Portal forms name records through choice fields: a choice of a scoped model either starts
empty and is filled per user in the form's ``__init__`` (from a scoped selector), so a form
that forgot to narrow it accepts nothing, or the form takes the user and narrows it (issue 20,
deliverable 1)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.conf import settings

from organizations import scoping

pytestmark = pytest.mark.django_db

PROJECT_APPS = [*settings.PROJECT_APPS, "demo"]


def _portal_forms():
    found = set()
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        names = [app] + [
            info.name
            for info in pkgutil.walk_packages(package.__path__, f"{app}.")
            if info.name.rsplit(".", 1)[-1].startswith(("views", "forms"))
        ]
        for name in names:
            module = importlib.import_module(name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__.split(".")[0] in PROJECT_APPS:
                    found.add(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _narrowed_for(cls, name, user) -> bool:
    """Whether ``cls(user=user)`` offers only what ``user`` can see in field ``name``."""
    try:
        form = cls(user=user)
    except TypeError:
        return False
    queryset = form.fields[name].queryset
    seen = scoping.visible(queryset.model, user).values("pk")
    return not queryset.exclude(pk__in=seen).exists()


def test_scoped_choices_of_portal_forms_are_narrowed_per_user(world):
    failures, checked = [], 0
    for cls in _portal_forms():
        for name, field in cls.base_fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            queryset = field.queryset
            if queryset is None or scoping.rule_for(queryset.model) is None:
                continue
            checked += 1
            if not queryset.query.is_empty() and not all(
                _narrowed_for(cls, name, getattr(world, u))
                for u in ("secretary_delivery", "district_officer", "partner")
            ):
                failures.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert checked, "no portal form names a scoped record: the walk tests nothing"
    assert not failures, "choices of a scoped model not narrowed per user:\n" + "\n".join(failures)
