"""``Idempotency-Key`` for DRF views: a retry gets the stored answer, never a second write.

A view wraps its write in :func:`idempotent_response`::

    def post(self, request):
        return idempotent_response(
            request, endpoint="workers-bulk", handler=lambda: self._upsert(request)
        )

Semantics (per user, endpoint and key, see :class:`~core.models.IdempotencyRecord`):

* no header: the handler runs as usual;
* a key seen before with the same body (SHA-256 of the body's canonical JSON): the stored status
  and body are returned and nothing runs (header ``Idempotent-Replayed: true``);
* a key seen before with another body: 422 ``idempotency_key_reused`` in the API error format;
* two concurrent requests with one key: the record is inserted *first*, inside the transaction
  that also holds the handler's writes, so the unique constraint makes the second insert wait
  for the first transaction and then fail; the second request's writes roll back and it answers
  with the stored response.

Only responses the handler *returns* are stored. When the handler raises (a validation error
of the whole request, say), the record rolls back with everything else, so the client may fix
the body and retry with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = _(
        "This Idempotency-Key was already used with a different request body; "
        "use a new key for a new request."
    )


class IdempotencyKeyInvalid(exceptions.APIException):
    status_code = 400
    default_code = "idempotency_key_invalid"
    default_detail = _("The Idempotency-Key header must have 1 to 255 visible characters.")


def request_fingerprint(data: Any) -> str:
    """SHA-256 of the canonical JSON of ``data`` (sorted keys, no spaces), so key order and
    whitespace do not make two equal bodies differ."""
    canonical = json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lookup(user, endpoint: str, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(user=user, endpoint=endpoint, key=key).first()


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    return Response(record.response, status=record.status_code, headers={REPLAY_HEADER: "true"})


def idempotent_response(
    request: Request, *, endpoint: str, handler: Callable[[], Response]
) -> Response:
    """Run ``handler`` at most once per (user, ``endpoint``, ``Idempotency-Key``)."""
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        return handler()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise IdempotencyKeyInvalid()
    user = request.user
    fingerprint = request_fingerprint(request.data)
    existing = _lookup(user, endpoint, key)
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            # Inserted before the write: a concurrent request with the same key blocks on the
            # unique constraint here (or fails at commit) instead of writing twice.
            record = IdempotencyRecord.objects.create(
                user=user,
                endpoint=endpoint,
                key=key,
                request_hash=fingerprint,
                status_code=0,
                response={},
            )
            response = handler()
            record.status_code = response.status_code
            record.response = response.data
            record.save(update_fields=["status_code", "response"])
    except IntegrityError:
        existing = _lookup(user, endpoint, key)
        if existing is None:  # the conflict was the handler's own, not the key's
            raise
        return _replay(existing, fingerprint)
    return response
