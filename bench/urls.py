"""The portal's URLs plus ``/bench/bare/<endpoint>/``: the peer of each list endpoint, the
same first page of the same rows as a bare ``.values()`` query dumped to JSON (no
authentication, permissions, scope, filters, pagination class or serializer)."""

from django.apps import apps
from django.http import Http404, JsonResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

#: endpoint → (model, the fields the endpoint shows that are columns of the model).
BARE = {
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


def bare(request, name: str):
    if name not in BARE:
        raise Http404
    label, fields = BARE[name]
    size = min(int(request.GET.get("page_size", 50)), 1000)
    model = apps.get_model(label)
    rows = list(model.objects.order_by("-id").values(*fields)[:size])
    return JsonResponse({"next": None, "previous": None, "results": rows})


urlpatterns = [path("bench/bare/<str:name>/", bare), *portal_urlpatterns]
