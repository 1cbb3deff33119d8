"""What the public door reads about an appeal, in the worker's words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..choices import Level, Status
from ..models import Appeal

#: The states in which nobody is working on the appeal any more.
FINISHED = frozenset({Status.REPLIED, Status.CLOSED, Status.VISITED, Status.ARCHIVED})


def handler_name(appeal: Appeal) -> str:
    """Who holds the appeal now: the organization it was dispatched to, else the level of the
    channel it sits at (an organization's name is public; no person is ever named)."""
    organization = appeal.assigned_organization
    if organization is not None:
        return organization.name
    if appeal.level == Level.WORKER:
        return _("the service desk that received it")
    return str(Level(appeal.level).label)


def handler_line(appeal: Appeal) -> str:
    """One plain sentence: "正由××党支部办理", or who finished it."""
    name = handler_name(appeal)
    if appeal.status in FINISHED:
        return _("Handled by %(name)s") % {"name": name}
    return _("Being handled by %(name)s") % {"name": name}
