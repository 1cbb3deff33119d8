"""The portal's URLs plus ``/bench/bare/<endpoint>/``: the peer of each list endpoint.

The peer reads the same first page as the endpoint, the same way the database is asked for
it: the endpoint's own queryset (its joins and annotations) with the columns its list reads
(its ``.values()`` plan as city-wide staff: codes across relations, the encrypted ID numbers
and phones, which ``.values()`` decrypts), newest first, dumped to JSON. What it leaves out
is what the comparison measures: authentication, permissions, scope, filters, the cursor
paginator, masking and the per-row shaping of the serializer's output.

``/bench/narrow/<endpoint>/`` is the peer of earlier runs, a few columns of the same rows.
"""

from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.http import Http404, JsonResponse
from django.test import RequestFactory
from django.urls import Resolver404, path, resolve
from rest_framework.request import Request

from portal.urls import urlpatterns as portal_urlpatterns

#: The narrower peer of earlier runs: endpoint → (model, a few of the columns it shows).
NARROW = {
    "regions": ("organizations.Region", ("id", "code", "name", "level", "parent_id")),
    "industries": ("organizations.Industry", ("id", "code", "name")),
    "organizations": (
        "organizations.PartyOrganization",
        ("id", "code", "name", "kind", "basis", "parent_id", "region_id", "industry_id"),
    ),
    "enterprises": (
        "organizations.Enterprise",
        (
            "id",
            "uscc",
            "name",
            "kind",
            "industry_id",
            "region_id",
            "platform_id",
            "party_organization_id",
            "coverage_mode",
            "status",
            "worker_count",
        ),
    ),
    "workers": (
        "members.Worker",
        (
            "id",
            "source",
            "external_id",
            "name",
            "gender",
            "industry_id",
            "region_id",
            "enterprise_id",
            "platform_id",
            "political_status",
            "active",
            "first_seen",
            "last_seen",
        ),
    ),
    "members": (
        "members.PartyMember",
        ("id", "member_id", "name", "status", "organization_id", "is_mobile", "joined_on"),
    ),
}

ENDPOINTS = ("regions", "industries", "organizations", "enterprises", "workers", "members")


@cache
def peer(name: str):
    """The endpoint's queryset and the columns of its list (``core.api.fastlist``)."""
    try:
        cls = resolve(f"/api/v1/{name}/").func.cls
    except (Resolver404, AttributeError):
        raise Http404 from None
    view = cls(action="list", format_kwarg=None, kwargs={})
    request = RequestFactory().get(f"/api/v1/{name}/")
    request.user = get_user_model().objects.get(username="api_staff")
    view.request = Request(request)
    plan = view.values_plan()
    if plan is None:
        raise Http404
    return cls.queryset, plan.lookups


def bare(request, name: str):
    if name not in ENDPOINTS:
        raise Http404
    queryset, columns = peer(name)
    size = min(int(request.GET.get("page_size", 50)), 1000)
    rows = list(queryset.order_by("-id").values(*columns)[:size])
    return JsonResponse({"next": None, "previous": None, "results": rows})


def narrow(request, name: str):
    """The peer of earlier runs (kept to compare with them): a few of the endpoint's columns
    of the model's rows, without its joins, annotations or protected columns."""
    if name not in NARROW:
        raise Http404
    label, fields = NARROW[name]
    size = min(int(request.GET.get("page_size", 50)), 1000)
    rows = list(apps.get_model(label).objects.order_by("-id").values(*fields)[:size])
    return JsonResponse({"next": None, "previous": None, "results": rows})


urlpatterns = [
    path("bench/bare/<str:name>/", bare),
    path("bench/narrow/<str:name>/", narrow),
    *portal_urlpatterns,
]
