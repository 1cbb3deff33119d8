"""Loaded by the fault drill's own worker (``celery worker -I tests.ops.drill_worker``): small
two-finds chunks that each take ``DRILL_CHUNK_SECONDS``, so the drill can strike mid-job."""

import os
import time

from django.conf import settings

from members.services import two_finds

settings.TWO_FINDS_CHUNK_SIZE = int(os.environ.get("DRILL_CHUNK_SIZE", "10"))
_real_chunk = two_finds.two_finds_chunk


def _slow_chunk(**kwargs):
    time.sleep(float(os.environ.get("DRILL_CHUNK_SECONDS", "1.5")))
    return _real_chunk(**kwargs)


two_finds.two_finds_chunk = _slow_chunk
