"""Every registered admin's list and add page renders for city-wide staff (the shared read-only
and service-backed inlines included), never a 5xx."""

import pytest
from django.contrib import admin
from django.urls import reverse


@pytest.mark.parametrize(
    "model",
    sorted(admin.site._registry, key=lambda m: m._meta.label),
    ids=lambda m: m._meta.label,
)
def test_admin_pages_render(client, world, model):
    client.force_login(world.staff)
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code in (200, 403)
    assert client.get(reverse(f"{name}_add")).status_code in (200, 403)
