"""Duplicates: an appeal merged into its original is archived and points to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Appeal
from .steps import _is_user, _sees, _step


def appeal_merge(
    *, actor: Any, appeal: Appeal, into: Appeal, note: str = "", now: dt.datetime | None = None
) -> Appeal:
    """Merge ``appeal`` into ``into`` as its duplicate: it is archived and points to ``into``
    (or to what ``into`` itself duplicates)."""
    if into is None:
        raise ValidationError({"into": _("Choose the appeal to merge into.")})
    target = into.duplicate_of if into.duplicate_of_id else into
    if target.pk == appeal.pk:
        raise ValidationError({"into": _("An appeal cannot be merged into itself.")})
    if _is_user(actor) and not _sees(actor, target):
        raise ValidationError({"into": _("This appeal is outside your scope.")})

    def apply(locked: Appeal, at: dt.datetime) -> None:
        locked.duplicate_of = target
        locked.due_at = None

    text = note or _("Merged into %(ref)s.") % {"ref": target.reference}
    return _step(action="merge", actor=actor, appeal=appeal, now=now, apply=apply, note=text)
