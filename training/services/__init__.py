"""Writes for training: validated, scope-checked and audited in one transaction each.

The rules a user relies on live here:

- the catalogue (lecturers, courses, sites, resource packs and items) is changed by city-wide
  staff only;
- a class never takes more enrollments than its capacity, even when two requests race for the
  last seat (``enrollment_create`` locks the class row and counts inside the transaction; the
  unique (class, worker) constraint stops a duplicate);
- a check-in is idempotent per session and worker, and needs the session's code unless the
  organizer's staff record it in the portal; a walk-in is recorded and gets an enrollment;
- completion (结业) is derived from attendance whenever it changes.

One module per idea (``common``, ``catalogue``, ``classes``, ``enrollment``, ``completion``,
``checkin``, ``activities``, ``online``); faces import this package (``from training import
services``).
"""

from .activities import (
    designation_create,
    designation_delete,
    designation_update,
    outreach_event_create,
    outreach_event_delete,
    outreach_event_update,
    party_lesson_create,
    party_lesson_delete,
    party_lesson_update,
)
from .catalogue import (
    course_create,
    course_delete,
    course_update,
    lecturer_create,
    lecturer_delete,
    lecturer_update,
    pack_create,
    pack_delete,
    pack_update,
    resource_create,
    resource_delete,
    resource_update,
    site_create,
    site_delete,
    site_update,
)
from .checkin import attendance_check_in, attendance_delete
from .classes import (
    session_create,
    session_delete,
    session_new_code,
    session_update,
    training_class_create,
    training_class_delete,
    training_class_update,
)
from .common import (
    CHECK_IN_CLOSES_AFTER,
    CHECK_IN_OPENS_BEFORE,
    PORTAL_CLOSES_AFTER,
    UNKNOWN_WORKER,
)
from .completion import class_refresh_completion, enrollment_refresh_completion, sessions_needed
from .enrollment import enrollment_create, enrollment_delete
from .online import resource_complete, resource_view

__all__ = [
    "CHECK_IN_CLOSES_AFTER",
    "CHECK_IN_OPENS_BEFORE",
    "PORTAL_CLOSES_AFTER",
    "UNKNOWN_WORKER",
    "attendance_check_in",
    "attendance_delete",
    "class_refresh_completion",
    "course_create",
    "course_delete",
    "course_update",
    "designation_create",
    "designation_delete",
    "designation_update",
    "enrollment_create",
    "enrollment_delete",
    "enrollment_refresh_completion",
    "lecturer_create",
    "lecturer_delete",
    "lecturer_update",
    "outreach_event_create",
    "outreach_event_delete",
    "outreach_event_update",
    "pack_create",
    "pack_delete",
    "pack_update",
    "party_lesson_create",
    "party_lesson_delete",
    "party_lesson_update",
    "resource_complete",
    "resource_create",
    "resource_delete",
    "resource_update",
    "resource_view",
    "session_create",
    "session_delete",
    "session_new_code",
    "session_update",
    "sessions_needed",
    "site_create",
    "site_delete",
    "site_update",
    "training_class_create",
    "training_class_delete",
    "training_class_update",
]
