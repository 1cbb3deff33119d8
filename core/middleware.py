import re

from .context import request_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9\-_.]{8,64}$")


class RequestIdMiddleware:
    """Give each request one id (or accept a well-formed ``X-Request-ID``) and echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        with request_context(incoming if _SAFE_ID.match(incoming) else None) as rid:
            request.request_id = rid
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response
