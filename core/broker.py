"""Keeping a Celery worker alive when Redis goes away (DESIGN: jobs survive broker faults).

kombu's Redis transport (5.x, up to at least 5.7) crashes the worker when the connection drops
while a task is running: Celery's consumer first collects the broken connection (which detaches
the transport from it) and then closes it; closing the channel tries to restore the
unacknowledged messages through a new client built from ``transport.client``, which is ``None``
by then, so ``_connparams`` raises ``AttributeError: 'NoneType' object has no attribute
'hostname'``. That is not a connection error, so ``ignore_errors`` lets it through and the
worker exits with "Unrecoverable error" (reproduced with the threads pool; seen in the fault
drill with the default pool).

:func:`patch_kombu_redis` makes that case what it is, a connection error: the close then
ignores it, the consumer reconnects, and the unacknowledged messages stay in Redis's unacked
hash, where the broker redelivers them after the visibility timeout (``CELERY_VISIBILITY_TIMEOUT``)
— the jobs are idempotent. A maintained alternative does not exist; drop this when kombu fixes
``Channel._connparams`` for a collected connection.
"""

from __future__ import annotations


def patch_kombu_redis() -> None:
    from kombu.transport import redis as kombu_redis

    channel = kombu_redis.Channel
    if getattr(channel._connparams, "portal_patched", False):
        return
    original = channel._connparams

    def _connparams(self, asynchronous=False):
        transport = self.connection
        if transport is None or getattr(transport, "client", None) is None:
            raise kombu_redis.redis.exceptions.ConnectionError(
                "the broker connection was closed (collected) before this channel"
            )
        return original(self, asynchronous=asynchronous)

    _connparams.portal_patched = True
    channel._connparams = _connparams
