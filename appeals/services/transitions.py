"""The one table of allowed moves of an appeal (:data:`TRANSITIONS`) and what a user may do next."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..choices import (
    DUE_STATUSES,
    Status,
)
from ..models import Appeal

S = Status


@dataclass(frozen=True)
class Transition:
    """``action`` moves an appeal from any of ``sources`` to ``target``.

    ``who``: ``"dispatcher"`` (anyone who sees the appeal), ``"assignee"`` (someone at or above
    the assigned organization), ``"visitor"`` (a user who sees the appeal, or the worker
    through a verified public door: ``actor=None``), ``"system"`` (the services themselves).
    """

    sources: frozenset[str]
    target: str
    who: str
    label: str


TRANSITIONS: dict[str, Transition] = {
    "dispatch": Transition(
        frozenset({S.RECEIVED, S.DISPUTED, S.REOPENED}), S.DISPATCHED, "dispatcher", "Dispatch"
    ),
    "dispute": Transition(frozenset({S.DISPATCHED}), S.DISPUTED, "assignee", "Dispute"),
    "sign": Transition(frozenset({S.DISPATCHED}), S.SIGNED, "assignee", "Sign for"),
    "start": Transition(frozenset({S.SIGNED}), S.IN_PROGRESS, "assignee", "Start handling"),
    "extend": Transition(frozenset({S.SIGNED, S.IN_PROGRESS}), S.EXTENDED, "assignee", "Extend"),
    "reply": Transition(
        frozenset({S.SIGNED, S.IN_PROGRESS, S.EXTENDED}), S.REPLIED, "assignee", "Reply"
    ),
    "close": Transition(frozenset({S.REPLIED}), S.CLOSED, "dispatcher", "Close"),
    "visit": Transition(frozenset({S.CLOSED}), S.VISITED, "visitor", "Return visit"),
    "archive": Transition(frozenset({S.VISITED}), S.ARCHIVED, "system", "Archive"),
    "reopen": Transition(frozenset({S.VISITED}), S.REOPENED, "system", "Reopen"),
    "escalate": Transition(frozenset(DUE_STATUSES), S.DISPATCHED, "system", "Escalate"),
    "merge": Transition(
        frozenset(
            {S.RECEIVED, S.DISPATCHED, S.DISPUTED, S.SIGNED, S.IN_PROGRESS, S.EXTENDED, S.REOPENED}
        ),
        S.ARCHIVED,
        "dispatcher",
        "Merge as a duplicate",
    ),
}
#: The actions a person takes from a face (the others are taken by the services).
USER_ACTIONS = ("dispatch", "dispute", "sign", "start", "extend", "reply", "close", "visit")

#: Satisfaction scores that count as satisfied (the rest reopen the appeal one level higher).
SATISFIED_SCORES = (4, 5)


def allowed_actions(appeal: Appeal) -> list[str]:
    """The user actions the appeal's state allows (the faces show one form per action)."""
    return [
        name
        for name in USER_ACTIONS
        if appeal.status in TRANSITIONS[name].sources and not (name == "extend" and appeal.extended)
    ]


def _refuse_state(appeal: Appeal, action: str) -> ValidationError:
    return ValidationError(
        _("An appeal in the state “%(status)s” cannot be %(action)s.")
        % {
            "status": Status(appeal.status).label,
            "action": _action_past(action),
        },
        code="invalid_transition",
    )


def _action_past(action: str) -> str:
    return {
        "dispatch": _("dispatched"),
        "dispute": _("disputed"),
        "sign": _("signed for"),
        "start": _("started"),
        "extend": _("extended"),
        "reply": _("replied to"),
        "close": _("closed"),
        "visit": _("visited"),
        "archive": _("archived"),
        "reopen": _("reopened"),
        "escalate": _("escalated"),
        "merge": _("merged"),
    }[action]
