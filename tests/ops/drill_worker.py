"""Loaded by the fault drill's own worker (``celery worker -I tests.ops.drill_worker``): small
two-finds chunks that each take ``DRILL_CHUNK_SECONDS``, so the drill can strike mid-job."""

import os
import time

from django.conf import settings

from members.services.two_finds import job

settings.TWO_FINDS_CHUNK_SIZE = int(os.environ.get("DRILL_CHUNK_SIZE", "10"))
# The chunk task calls ``two_finds_chunk_once``, which looks ``two_finds_chunk`` up in the
# job module: slow it there.
_real_chunk = job.two_finds_chunk


def _slow_chunk(**kwargs):
    time.sleep(float(os.environ.get("DRILL_CHUNK_SECONDS", "1.5")))
    return _real_chunk(**kwargs)


job.two_finds_chunk = _slow_chunk
