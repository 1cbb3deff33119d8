"""The field research (百人万里行): a campaign, its groups of cadres, their visits, the
interviews with workers, the demands collected and the outputs register.

Every figure (cadres, groups, visits, workers interviewed, demands by topic and outcome) is
counted from these rows (``taskforce.research.selectors``), never typed in.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal, Category
from core.defaults import private_storage
from core.userfields import user_reference
from members.models import Worker
from organizations.models import Department, Enterprise, Industry
from organizations.scoping import ScopeRule

from ..choices import AgeBand, DemandOutcome, OutputKind, VisitTarget
from ..measures.models import Measure

CAMPAIGN = "campaign__units"


class Campaign(models.Model):
    """A research campaign with the member units taking part."""

    scope = ScopeRule(department="units")

    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    units = models.ManyToManyField(
        Department, verbose_name=_("units taking part"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("research campaign")
        verbose_name_plural = _("research campaigns")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": gettext("The end is before the start.")})


class ResearchGroup(models.Model):
    """A group of cadres (调研组)."""

    scope = ScopeRule(department=CAMPAIGN)

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=100)
    leader_name = models.CharField(_("leader"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("research group")
        verbose_name_plural = _("research groups")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="one_group_name")]

    def __str__(self) -> str:
        return self.name


class Cadre(models.Model):
    """A cadre in a group: a portal user, or a contact from a member unit."""

    scope = ScopeRule(department=f"group__{CAMPAIGN}")

    group = models.ForeignKey(
        ResearchGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="cadres"
    )
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=64, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = user_reference(_("portal user"))

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["group", "id"]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """A visit of a group to an enterprise, station, platform or community: planned, then done."""

    scope = ScopeRule(department=f"group__{CAMPAIGN}")

    group = models.ForeignKey(
        ResearchGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="visits"
    )
    target_kind = models.CharField(_("visited"), max_length=16, choices=VisitTarget.choices)
    place = models.CharField(_("place"), max_length=200)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    planned_on = models.DateField(_("planned on"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    cadres = models.ManyToManyField(
        Cadre, verbose_name=_("who went"), blank=True, related_name="visits"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("research visit")
        verbose_name_plural = _("research visits")
        ordering = ["-planned_on", "-id"]

    def __str__(self) -> str:
        return f"{self.planned_on:%Y-%m-%d} {self.place}"


class Interview(models.Model):
    """A face-to-face talk with a worker: the worker when on the roster, else an anonymous
    profile (industry, age band, platform)."""

    scope = ScopeRule(department=f"visit__group__{CAMPAIGN}")

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="interviews"
    )
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("worker (on the roster)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    age_band = models.CharField(
        _("age band"), max_length=16, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    platform_name = models.CharField(_("platform"), max_length=64, blank=True)
    topics = models.ManyToManyField(
        Category, verbose_name=_("topics"), blank=True, related_name="+"
    )
    said = models.TextField(_("what they said"), blank=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return gettext("Interview %(id)s") % {"id": self.pk}


class Demand(models.Model):
    """A demand (诉求) collected in the research, and what became of it."""

    scope = ScopeRule(department=CAMPAIGN)

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="demands"
    )
    interview = models.ForeignKey(
        Interview,
        verbose_name=_("interview"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    topic = models.ForeignKey(
        Category, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("demand"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=DemandOutcome.choices, default=DemandOutcome.OPEN
    )
    appeal = models.OneToOneField(
        Appeal,
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="research_demand",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    policy_note = models.CharField(_("policy it informs"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("research demand")
        verbose_name_plural = _("research demands")
        ordering = ["campaign", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class ResearchOutput(models.Model):
    """An output (调研实录, 对策措施, 调研汇编, 集中诉求, 制度文件) with its file."""

    scope = ScopeRule(department=CAMPAIGN)

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="outputs"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=200)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to="taskforce/outputs/",
        blank=True,
        max_length=200,
    )
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    link = models.URLField(_("link to the file"), blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("research output")
        verbose_name_plural = _("research outputs")
        ordering = ["campaign", "kind", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.file and self.link:
            raise ValidationError({"link": gettext("Give either a file or a link, not both.")})
