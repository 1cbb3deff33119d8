"""Coverage snapshots: the two coverages and the 双有 ratio per day × industry × region."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Industry, Region
from organizations.scoping import ScopeRule


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


#: The count columns of a snapshot, in the order the rollup fills them.
COUNT_FIELDS = (
    "enterprises",
    "standalone",
    "joint",
    "regional",
    "industry_organization",
    "work_only",
    "uncovered",
    "organization_covered",
    "shuangyou",
    "workers",
    "workers_organization_covered",
    "workers_work_covered",
    "members_among_workers",
    "members_placed",
)


class CoverageRates:
    """The rates of a set of coverage counts: each a numerator over a denominator, ``None``
    when there is nothing to divide by. Shared by stored snapshots and summed :class:`Counts`."""

    __slots__ = ()

    @property
    def organization_coverage_rate(self) -> float | None:
        return _ratio(self.organization_covered, self.enterprises)

    @property
    def standalone_rate(self) -> float | None:
        return _ratio(self.standalone, self.enterprises)

    @property
    def shuangyou_rate(self) -> float | None:
        return _ratio(self.shuangyou, self.enterprises)

    @property
    def work_only_rate(self) -> float | None:
        return _ratio(self.work_only, self.enterprises)

    @property
    def uncovered_rate(self) -> float | None:
        return _ratio(self.uncovered, self.enterprises)

    @property
    def workers_organization_covered_rate(self) -> float | None:
        return _ratio(self.workers_organization_covered, self.workers)


class CoverageSnapshot(CoverageRates, models.Model):
    """The coverage of one region's subtree on one day, for one industry or (``industry``
    empty) for all industries together. Written only by ``coverage.services``.

    Every rate is kept as its numerator and denominator; the ``*_rate`` properties divide them
    (``None`` when there is nothing to divide by). A management zone's row counts the streets
    it manages, which also count in their statutory district.
    """

    # An industry committee sees its industry's rows in its region; district staff see every
    # row of their region subtree (the all-industry rows included).
    scope = ScopeRule(region="region", industry="industry")

    day = models.DateField(_("date"))
    # No single-column indexes on the two keys: the composite indexes below serve every read,
    # and each index slows the nightly bulk insert.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        help_text=_("Empty: all industries together."),
    )
    enterprises = models.PositiveIntegerField(_("operating enterprises"), default=0)
    standalone = models.PositiveIntegerField(_("with a standalone organization"), default=0)
    joint = models.PositiveIntegerField(_("in a joint organization"), default=0)
    regional = models.PositiveIntegerField(_("in a regional organization"), default=0)
    industry_organization = models.PositiveIntegerField(_("in an industry organization"), default=0)
    work_only = models.PositiveIntegerField(_("work coverage only"), default=0)
    uncovered = models.PositiveIntegerField(_("not covered"), default=0)
    organization_covered = models.PositiveIntegerField(_("with organization coverage"), default=0)
    shuangyou = models.PositiveIntegerField(_("counting towards 双有"), default=0)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    workers_organization_covered = models.PositiveIntegerField(
        _("workers in organization-covered enterprises"), default=0
    )
    workers_work_covered = models.PositiveIntegerField(
        _("workers in enterprises with work coverage only"), default=0
    )
    members_among_workers = models.PositiveIntegerField(_("party members among workers"), default=0)
    members_placed = models.PositiveIntegerField(_("members placed"), default=0)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("coverage snapshot")
        verbose_name_plural = _("coverage snapshots")
        ordering = ["-day", "region__path", "industry__sort_order"]
        permissions = [("recompute_coveragesnapshot", _("Can recompute coverage snapshots"))]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "region", "industry"],
                condition=Q(industry__isnull=False),
                name="coverage_snapshot_one_per_day_region_industry",
            ),
            models.UniqueConstraint(
                fields=["day", "region"],
                condition=Q(industry__isnull=True),
                name="coverage_snapshot_one_all_industry_row_per_day_region",
            ),
        ]
        indexes = [
            models.Index(fields=["day", "region"]),
            models.Index(fields=["region", "industry", "day"]),
        ]

    def __str__(self) -> str:
        industry = self.industry or _("all industries")
        return f"{self.day} {self.region} {industry}"


class Counts(CoverageRates):
    """Coverage counts summed over snapshot rows (a region's industries, a day's regions).

    A plain object rather than an unsaved snapshot: the dashboard sums dozens per request and a
    model instance costs several times more to build."""

    __slots__ = COUNT_FIELDS

    def __init__(self, **counts: int) -> None:
        for name in COUNT_FIELDS:
            setattr(self, name, counts.get(name, 0))

    def __repr__(self) -> str:
        return f"Counts(enterprises={self.enterprises}, workers={self.workers})"
