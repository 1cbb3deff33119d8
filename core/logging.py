"""Log records that carry the request id (``core.context``): the same id the request's audit
events record, so a log line and an audit row of one request or job are found together.

``LOGGING`` in settings adds :class:`RequestIdFilter` to its handlers and, with
``LOG_FORMAT=json`` (the production default), formats each record as one JSON object with
python-json-logger::

    {"time": "...", "level": "WARNING", "logger": "core.cache", "message": "...",
     "request_id": "4f0c..."}
"""

from __future__ import annotations

import logging

from .context import bound_client_address, bound_request_id
from .redact import scrub


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (empty outside a request, task or command) and ``client`` (the
    client address of the request, ``core.net``; empty outside one) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = bound_request_id() or ""
        if not getattr(record, "client", None):
            record.client = bound_client_address()
        return True


class RedactPersonalDataFilter(logging.Filter):
    """No protected value in a log line, whatever the caller logged (DESIGN.md §5).

    The message is formatted and scrubbed of ID- and phone-shaped numbers; a request attached
    to the record (``django.request`` and ``django.server`` attach theirs, and a JSON formatter
    writes it out) is replaced by its method and path, without the query string, which a
    client may have filled with a phone number.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            method = getattr(request, "method", "") or ""
            path = getattr(request, "path", "") or ""
            record.request = f"{method} {path}".strip()
        return True
