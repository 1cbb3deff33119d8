"""Writes for appeals: intake, the workflow, escalation, duplicates and hot spots.

Every transition is one entry of :data:`TRANSITIONS` (the only place that says which state
may follow which); a transition not in the table, or one the actor may not take, is a
``ValidationError`` with a clear message and changes nothing. Each step

* locks the appeal row (``select_for_update``) and re-reads its state inside the transaction,
* writes the new state, an immutable :class:`~appeals.models.AppealEvent` and an audit row in
  the same transaction,
* sends its notifications (in-portal :class:`~appeals.models.InboxMessage` rows) with
  ``transaction.on_commit``: a step that rolls back notifies nobody.

Every service takes ``now`` (default :func:`django.utils.timezone.now`) so that demo data can
be backdated and tests can freeze time. ``actor=None`` means an anonymous intake door (the
public form, Open311) or the system (the escalation scan).

One module per idea: ``transitions``, ``levels``, ``steps``, ``intake``, ``workflow``,
``escalation``, ``duplicates``, ``hotspots``, ``inbox``; ``deadlines`` lends the SLA engine
(working-time deadlines, the overdue scan, the escalation notice) to other apps' cases.
The app's faces import from this
package (``from appeals import services``).
"""

from .deadlines import notify_escalation, scan_overdue, working_deadline
from .duplicates import appeal_merge
from .escalation import appeal_escalate, escalate_overdue, escalation_scan_run
from .hotspots import hotspot_resolve, hotspot_settings, hotspots_raise
from .inbox import inbox_mark_read
from .intake import REFERENCE_ALPHABET, appeal_create, new_reference
from .levels import level_of_organization, organization_above
from .steps import notify
from .transitions import SATISFIED_SCORES, TRANSITIONS, USER_ACTIONS, Transition, allowed_actions
from .workflow import (
    appeal_close,
    appeal_dispatch,
    appeal_dispute,
    appeal_extend,
    appeal_reply,
    appeal_sign,
    appeal_start,
    appeal_visit,
)

__all__ = [
    "REFERENCE_ALPHABET",
    "SATISFIED_SCORES",
    "TRANSITIONS",
    "USER_ACTIONS",
    "Transition",
    "allowed_actions",
    "appeal_close",
    "appeal_create",
    "appeal_dispatch",
    "appeal_dispute",
    "appeal_escalate",
    "appeal_extend",
    "appeal_merge",
    "appeal_reply",
    "appeal_sign",
    "appeal_start",
    "appeal_visit",
    "escalate_overdue",
    "escalation_scan_run",
    "hotspot_resolve",
    "hotspot_settings",
    "hotspots_raise",
    "inbox_mark_read",
    "level_of_organization",
    "new_reference",
    "notify",
    "notify_escalation",
    "organization_above",
    "scan_overdue",
    "working_deadline",
]
