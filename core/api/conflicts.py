"""Writes that race: retry on a unique-constraint conflict, then answer 409 in the API's error
format (never a 500 HTML page).

Two concurrent requests creating the same new rows (two bulk pushes of one roster without an
``Idempotency-Key``) both read "not there yet" and both insert; the database's unique constraint
lets one through and the other fails with ``IntegrityError``. Run again, the loser finds the
winner's rows and updates them, so both succeed. A write that still conflicts after
``attempts`` answers 409 ``conflict``, with nothing of it written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

logger = logging.getLogger("core.api")

T = TypeVar("T")


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = _(
        "Another request wrote the same records at the same moment; nothing of this request "
        "was written. Send it again."
    )


def retry_on_conflict(write: Callable[[], T], *, attempts: int = 3) -> T:
    """Run ``write`` (atomic as a whole) again when it hits a unique-constraint conflict."""
    for attempt in range(1, attempts + 1):
        try:
            # A savepoint when inside a transaction (the Idempotency-Key record's), so the
            # outer transaction survives the conflict.
            with transaction.atomic():
                return write()
        except IntegrityError as exc:
            logger.info("write conflict (attempt %s of %s): %s", attempt, attempts, exc)
    raise Conflict()
