"""The request id that ties together every audit event written while serving one request/job."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
#: The client address of the request being served (``core.net.client_address``), for logs.
_client_address: ContextVar[str] = ContextVar("client_address", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request being served; outside one, a fresh id per call."""
    return _request_id.get() or new_request_id()


def bound_request_id() -> str | None:
    """The id of the request, task or command being served, or ``None`` outside one."""
    return _request_id.get()


@contextmanager
def request_context(request_id: str | None = None) -> Iterator[str]:
    """Bind a request id for the duration of a request, task or command."""
    rid = request_id or new_request_id()
    token = _request_id.set(rid)
    try:
        yield rid
    finally:
        _request_id.reset(token)


def bound_client_address() -> str:
    """The client address of the request being served, ``""`` outside one."""
    return _client_address.get()


@contextmanager
def client_context(address: str) -> Iterator[None]:
    token = _client_address.set(address)
    try:
        yield
    finally:
        _client_address.reset(token)
