import logging
import re

from .context import client_context, request_context
from .net import client_address

logger = logging.getLogger("core.request")

_SAFE_ID = re.compile(r"^[A-Za-z0-9\-_.]{8,64}$")


class RequestIdMiddleware:
    """Give each request one id, made here, and echo it back in ``X-Request-ID``.

    The id ties the request's audit events and log lines together, so a client never chooses
    it: an incoming ``X-Request-ID`` (a proxy's or a partner's own trace id) is kept apart as
    ``request.client_request_id`` and logged beside ours, never used as ours."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.client_request_id = incoming if _SAFE_ID.match(incoming) else ""
        request.client_address = client_address(request)
        with request_context() as rid, client_context(request.client_address):
            request.request_id = rid
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response
