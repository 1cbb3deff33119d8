"""Grid volunteers (网格员): workers who take grassroots tasks, with the h3 cells they cover.

Scope as for workers: a volunteer is visible wherever its worker is.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.userfields import user_reference
from members.models import Worker
from organizations.scoping import ScopeRule

from ..choices import Skill, VolunteerChannel, VolunteerStatus


def worker_scope(prefix: str) -> ScopeRule:
    """What hangs off a worker (through ``prefix``) is seen wherever the worker is."""
    return ScopeRule(
        organization=f"{prefix}__enterprise__party_organization",
        region=f"{prefix}__region",
        industry=f"{prefix}__industry",
        platform=f"{prefix}__platform",
    )


class Volunteer(models.Model):
    """A worker registered as a grid volunteer.

    ``skills`` is stored as ``,code,code,`` so that "has skill X" is one portable ``LIKE``.
    ``load`` counts the claims the volunteer is working on; services keep it under the
    volunteer's row lock (overlap and load limits read it).
    """

    scope = worker_scope("worker")

    worker = models.OneToOneField(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="volunteer"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    channel = models.CharField(
        _("registered through"), max_length=12, choices=VolunteerChannel.choices
    )
    skills = models.CharField(_("skills"), max_length=200, blank=True, default="")
    availability = models.CharField(_("availability"), max_length=120, blank=True)
    home_cell = models.BigIntegerField(_("home cell"), null=True, blank=True)
    load = models.PositiveSmallIntegerField(_("tasks in hand"), default=0)
    registered_by = user_reference(_("registered by"))
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid volunteer")
        verbose_name_plural = _("grid volunteers")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status"], name="grid_volunteer_status")]

    def __str__(self) -> str:
        return self.worker.name if "worker" in self._state.fields_cache else f"#{self.worker_id}"

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]

    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [str(labels.get(s, s)) for s in self.skill_list]


class VolunteerCell(models.Model):
    """One h3 cell (as its 64-bit integer) a volunteer usually covers."""

    scope = worker_scope("volunteer__worker")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="cells"
    )
    cell = models.BigIntegerField(_("h3 cell"))
    #: Copies of the volunteer's row kept by ``services.volunteers.sync_cells`` so that the
    #: invitation look-up reads this table alone: the load when the volunteer is active, else
    #: empty (not invitable), and the skills.
    rank = models.PositiveSmallIntegerField(_("tasks in hand"), null=True, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("volunteer cell")
        verbose_name_plural = _("volunteer cells")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "cell"], name="grid_volunteer_cell_unique")
        ]
        # "who covers these cells, least loaded first": the look-up of invitations.
        indexes = [
            models.Index(fields=["cell", "rank", "volunteer"], name="grid_volunteer_cell_rank")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}:{self.cell:x}"


ACTIVE_Q = Q(status=VolunteerStatus.ACTIVE)
