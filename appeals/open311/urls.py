"""Open311 GeoReport v2, mounted at ``/open311/v2/``: every resource as ``.json`` or
``.xml``."""

from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311fmt")

app_name = "open311"

urlpatterns = [
    path("services.<open311fmt:fmt>", views.services, name="services"),
    path(
        "services/<slug:code>.<open311fmt:fmt>",
        views.service_definition,
        name="service_definition",
    ),
    path("requests.<open311fmt:fmt>", views.requests, name="requests"),
    path(
        "requests/<str:reference>.<open311fmt:fmt>",
        views.request_detail,
        name="request_detail",
    ),
]
