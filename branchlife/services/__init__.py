"""Writes of organization life (meetings, evaluations, dues, elections): each validated,
scope-checked and audited in one transaction."""

from .dues import (
    declaration_create,
    declaration_delete,
    declaration_update,
    dues_standard,
    handover_create,
    handover_delete,
    handover_update,
    payment_create,
    payment_delete,
    payment_record,
)
from .elections import election_create, election_delete, election_update
from .meetings import (
    evaluation_create,
    evaluation_delete,
    evaluation_update,
    expected_members,
    meeting_create,
    meeting_delete,
    meeting_hold,
    meeting_update,
    participation_check_in,
    participation_leave,
    participation_sign_up,
)
from .photos import meeting_photo_add, meeting_photo_remove

__all__ = [
    "declaration_create",
    "declaration_delete",
    "declaration_update",
    "dues_standard",
    "election_create",
    "election_delete",
    "election_update",
    "evaluation_create",
    "evaluation_delete",
    "evaluation_update",
    "expected_members",
    "handover_create",
    "handover_delete",
    "handover_update",
    "meeting_create",
    "meeting_delete",
    "meeting_hold",
    "meeting_photo_add",
    "meeting_photo_remove",
    "meeting_update",
    "participation_check_in",
    "participation_leave",
    "participation_sign_up",
    "payment_create",
    "payment_delete",
    "payment_record",
]
