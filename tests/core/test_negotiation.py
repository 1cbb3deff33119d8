"""The API's content negotiation (core.api.negotiation) answers what DRF's answers, for the
common JSON requests it shortcuts and for everything it hands on."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.api.negotiation import ContentNegotiation
from core.api.renderers import JSONRenderer

ACCEPTS = [
    None,
    "",
    "*/*",
    "application/json",
    " application/json ",
    "application/json; indent=2",
    "text/html",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/xml",
]


def _answer(negotiation, accept, query, renderers):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/api/v1/workers/", query, **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers)
    except NotAcceptable:
        return "406"
    return type(renderer), media_type


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("query", [{}, {"format": "json"}, {"format": "api"}, {"page_size": 3}])
@pytest.mark.parametrize("order", ["json first", "browsable first"])
def test_the_same_renderer_and_media_type_as_drf(accept, query, order):
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    if order == "browsable first":
        renderers.reverse()
    ours = _answer(ContentNegotiation(), accept, query, renderers)
    assert ours == _answer(DefaultContentNegotiation(), accept, query, renderers)
