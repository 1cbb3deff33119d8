"""When a roster last saw its workers, kept without rewriting a worker row.

A roster sent again mostly repeats what we hold. Writing ``last_seen`` on every worker it names
would rewrite every row (a new row version, index entries, WAL) for nothing else. Instead an
intake records *islands*: ranges of worker ids of one source, all of which that delivery named,
with the time. A worker's effective last-seen time is the later of its own ``last_seen`` (set
when a roster created or changed it) and the newest island covering it.

A full roster re-sent in its usual order gives one island; a partial push a few. Islands
superseded by a newer one are deleted when it is written, so the table stays small.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _


class RosterSighting(models.Model):
    """Every worker of ``source`` with ``first_pk ≤ id ≤ last_pk`` was on a roster at
    ``seen_at`` (``job``: the intake's job run)."""

    source = models.SlugField(_("source roster"), max_length=64, db_index=False)
    first_pk = models.BigIntegerField(_("first worker id"))
    last_pk = models.BigIntegerField(_("last worker id"))
    seen_at = models.DateTimeField(_("seen at"))
    job = models.ForeignKey(
        "core.JobRun",
        verbose_name=_("job run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("roster sighting")
        verbose_name_plural = _("roster sightings")
        # The covering island of a worker: equal source, first_pk ≤ id (range scan).
        indexes = [models.Index(fields=["source", "first_pk"], name="roster_sighting_range")]

    def __str__(self) -> str:
        return f"{self.source} {self.first_pk}–{self.last_pk} @ {self.seen_at:%Y-%m-%d %H:%M}"


def latest_sighting() -> Subquery:
    """The newest island covering the outer worker (``None`` when there is none)."""
    return Subquery(
        RosterSighting.objects.filter(
            source=OuterRef("source"), first_pk__lte=OuterRef("pk"), last_pk__gte=OuterRef("pk")
        )
        .order_by("-seen_at")
        .values("seen_at")[:1]
    )


def with_last_seen(queryset: models.QuerySet) -> models.QuerySet:
    """``queryset`` of workers annotated with ``seen_last``: the effective last-seen time."""
    return queryset.annotate(
        seen_last=Greatest(F("last_seen"), Coalesce(latest_sighting(), F("last_seen")))
    )
