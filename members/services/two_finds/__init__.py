"""The two-finds matching job (组织找党员): see :mod:`.job` for how a run works, :mod:`.load`
for reading columns, :mod:`.identity` for the ID-typo question, :mod:`.write` for the
set-based writes."""

from .job import (
    DEFAULT_CHUNK_SIZE,
    JOB_KIND,
    MATCHABLE_MEMBER_STATUSES,
    RESULT_COUNTS,
    JobRun,
    MemberIndex,
    thresholds,
    two_finds_chunk,
    two_finds_chunk_once,
    two_finds_finish,
    two_finds_plan,
    two_finds_queue,
    two_finds_run,
)
from .write import cases_open_bulk

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "JOB_KIND",
    "MATCHABLE_MEMBER_STATUSES",
    "RESULT_COUNTS",
    "JobRun",
    "MemberIndex",
    "cases_open_bulk",
    "thresholds",
    "two_finds_chunk",
    "two_finds_chunk_once",
    "two_finds_finish",
    "two_finds_plan",
    "two_finds_queue",
    "two_finds_run",
]
