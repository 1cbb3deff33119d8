"""The worker survives Redis going away during a task (the fault drill's first finding).

The end-to-end proof, with a real worker and a Redis stopped and restarted under it, is in
``tests/ops/test_fault_drill.py``; this is the unit of the fix."""

from types import SimpleNamespace

import pytest
import redis
from kombu.common import ignore_errors
from kombu.transport import redis as kombu_redis

import portal.celery  # noqa: F401  (applies core.broker.patch_kombu_redis)


def _orphan_channel():
    """A channel whose connection Celery's consumer already collected (transport.client is
    None), as when the consumer closes it after a connection loss."""
    channel = kombu_redis.Channel.__new__(kombu_redis.Channel)
    channel.connection = SimpleNamespace(client=None, default_port=6379)
    return channel


def test_an_orphan_channel_raises_a_connection_error_not_attribute_error():
    with pytest.raises(redis.exceptions.ConnectionError):
        _orphan_channel()._connparams()


def test_the_close_path_ignores_it_so_the_consumer_reconnects():
    channel = _orphan_channel()
    connection = SimpleNamespace(
        connection_errors=(redis.exceptions.ConnectionError,), channel_errors=()
    )
    # What Celery's on_connection_error_after_connected does: an AttributeError got through it
    # and ended the worker; a connection error is swallowed.
    ignore_errors(connection, channel._connparams)
