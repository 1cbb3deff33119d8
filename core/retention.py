"""Personal information removed once past the period a public notice promised (PIPL: kept no
longer than needed). Shared by the appeals (archived appeals) and the members' self-reports
(closed cases); each app says which rows are past their period and which fields go.

A row keeps what the figures and the chain of events need; the fields named are set to their
empty value and ``anonymized_at`` marks the row, so a run is idempotent. Each row gets an audit
row naming the fields cleared, never what they held. Rows locked by another transaction are
left to the next run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from core import audit
from core.choices import AuditAction
from core.dates import add_years

BATCH = 500


def cutoff(years: int, now: dt.datetime | None = None) -> dt.datetime:
    """The same time of day ``years`` calendar years before ``now``: what ended earlier is
    past its period."""
    now = timezone.localtime(now or timezone.now())
    return now - (now.date() - add_years(now.date(), -years))


def anonymize(
    *,
    actor: Any,
    queryset: models.QuerySet,
    cleared: dict[str, Any],
    verb: str,
    now: dt.datetime,
    then: Callable[[list[models.Model]], None] | None = None,
) -> int:
    """Clear ``cleared`` (field name → empty value) on every row of ``queryset`` (rows past
    their period and not yet anonymous: it must exclude ``anonymized_at`` set), in batches,
    each batch in one transaction with its audit rows; ``then(batch)`` runs in it (e.g. to
    delete attached files). Returns how many rows."""
    model = queryset.model
    attnames = {name: model._meta.get_field(name).attname for name in cleared}
    fields = [*cleared, "anonymized_at"]
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        fields.append("updated_at")
    done = 0
    while True:
        with transaction.atomic():
            rows = list(
                queryset.select_for_update(skip_locked=True, of=("self",)).order_by("pk")[:BATCH]
            )
            if not rows:
                return done
            changes = []
            for row in rows:
                changes.append(
                    {
                        name: ["…", value]
                        for name, value in cleared.items()
                        if getattr(row, attnames[name]) not in ("", None)
                    }
                )
                for name, value in cleared.items():
                    setattr(row, name, value)
                row.anonymized_at = now
                row.save(update_fields=fields)
            audit.record_many(
                actor=actor,
                action=AuditAction.UPDATE,
                objects=rows,
                verb=verb,
                changes=changes,
                reprs=[getattr(row, "reference", "") or str(row.pk) for row in rows],
            )
            if then is not None:
                then(rows)
        done += len(rows)
