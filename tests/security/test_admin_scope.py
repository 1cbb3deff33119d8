"""Scope everywhere in the admin (issue 20, deliverable 3).

Walks ``admin.site._registry``: a model a secretary (a staff user who is not city-wide) can
see must either have a scope rule its admin narrows by, or its admin must declare another
policy — shared reference data (read by all, written city-wide only), city-wide only, or
restricted to the rows the user created.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.models import JobRun
from organizations import scoping
from organizations.scoped import ScopedModelAdmin

pytestmark = pytest.mark.django_db

SECRETARIES = ("secretary_delivery", "secretary_express", "district_officer")


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _sees(model_admin, request) -> bool:
    return (
        model_admin.has_module_permission(request)
        or model_admin.has_view_permission(request)
        or model_admin.has_change_permission(request)
    )


def test_every_admin_model_a_secretary_sees_has_a_scope_rule(world, people):
    JobRun.objects.create(kind="members.roster_upload", created_by=world.staff)
    JobRun.objects.create(kind="members.roster_upload", created_by=world.secretary_delivery)
    failures, seen = [], 0
    for name in SECRETARIES:
        user = getattr(world, name)
        assert user.is_staff and not scoping.is_city_wide(user)
        request = _request(user)
        for model, model_admin in admin.site._registry.items():
            if not _sees(model_admin, request):
                continue
            seen += 1
            label = f"{model._meta.label} ({type(model_admin).__name__}) as {user.username}"
            policy = getattr(model_admin, "scope_policy", None)
            rows = model_admin.get_queryset(request)
            if scoping.rule_for(model) is not None:
                if policy != "scoped" or not isinstance(model_admin, ScopedModelAdmin):
                    failures.append(f"{label}: has a scope rule but its admin ignores it")
                elif rows.exclude(pk__in=scoping.visible(model, user).values("pk")).exists():
                    failures.append(f"{label}: lists rows outside the scope")
            elif policy == "reference":
                if model_admin.has_change_permission(request) or model_admin.has_delete_permission(
                    request
                ):
                    failures.append(f"{label}: reference data written by a non-city-wide user")
            elif policy == "creator":
                creator = model_admin.creator_field
                if rows.exclude(**{creator: user}).exists():
                    failures.append(f"{label}: lists rows created by someone else")
            else:
                failures.append(f"{label}: visible without a scope rule (policy {policy!r})")
    assert seen, "the secretaries see no admin model at all: the walk tests nothing"
    assert not failures, "\n".join(failures)


def test_a_secretary_opens_only_its_own_jobs(client, world):
    theirs = JobRun.objects.create(
        kind="members.roster_upload", created_by=world.staff, result={"rejected": [7]}
    )
    mine = JobRun.objects.create(kind="members.roster_upload", created_by=world.secretary_delivery)
    client.force_login(world.secretary_delivery)
    listing = client.get("/admin/core/jobrun/")
    assert listing.status_code == 200
    assert {j.pk for j in listing.context["cl"].result_list} == {mine.pk}
    assert client.get(f"/admin/core/jobrun/{mine.pk}/change/").status_code == 200
    other = client.get(f"/admin/core/jobrun/{theirs.pk}/change/")
    missing = client.get("/admin/core/jobrun/987654321/change/")
    assert other.status_code == missing.status_code != 200
    client.force_login(world.staff)
    everything = client.get("/admin/core/jobrun/")
    assert {mine.pk, theirs.pk} <= {j.pk for j in everything.context["cl"].result_list}


def test_admin_forms_offer_and_accept_only_references_in_scope(world, people):
    """Every choice field of every admin form (foreign keys, many-to-many) is narrowed to what
    the secretary can see, so a posted out-of-scope id is "not a valid choice" like an unknown
    one."""
    from django import forms

    failures, checked = [], 0
    for name in SECRETARIES:
        user = getattr(world, name)
        request = _request(user)
        for model, model_admin in admin.site._registry.items():
            if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(
                request
            )):  # fmt: skip
                continue
            form_class = model_admin.get_form(request)
            for field_name, field in form_class.base_fields.items():
                if not isinstance(field, forms.ModelChoiceField):
                    continue
                target = field.queryset.model
                if scoping.rule_for(target) is None:
                    continue
                checked += 1
                outside = field.queryset.exclude(pk__in=scoping.visible(target, user).values("pk"))
                if outside.exists():
                    failures.append(f"{model._meta.label}.{field_name} as {user.username}")
    assert checked
    assert not failures, "\n".join(failures)
