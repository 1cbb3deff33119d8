"""Content negotiation with the common case first.

Partner systems and the portal's pages ask for JSON (``Accept: application/json``, ``*/*`` or
nothing): DRF's negotiation then parses the header and ranks media types on every request to
arrive at the first renderer. Those three answers are given at once here, exactly as DRF
gives them; any other ``Accept`` or a ``?format=`` goes through DRF's negotiation.
"""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation

_PLAIN = frozenset(("*/*", "application/json"))


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        first = renderers[0] if renderers else None
        if (
            first is not None
            and first.media_type == "application/json"
            and not format_suffix
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
            and request.META.get("HTTP_ACCEPT", "*/*").strip() in _PLAIN
        ):
            return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)
