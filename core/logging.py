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


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (empty outside a request, task or command) and ``client`` (the
    client address of the request, ``core.net``; empty outside one) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = bound_request_id() or ""
        if not getattr(record, "client", None):
            record.client = bound_client_address()
        return True
