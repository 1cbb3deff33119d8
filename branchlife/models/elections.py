"""换届: an organization's election and the term it opens."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.models import PartyOrganization
from organizations.scoping import ScopeRule


class Election(models.Model):
    """An election (换届选举): the committee elected, its secretary and when the term ends.
    Recording one updates the organization's secretary and term end (``election_create``)."""

    scope = ScopeRule(organization="organization", region="organization__region")

    organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="elections",
    )
    held_on = models.DateField(_("held on"))
    committee = models.TextField(_("committee elected"), help_text=_("One name a line."))
    secretary_name = models.CharField(_("secretary"), max_length=32)
    term_ends_on = models.DateField(_("term ends on"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.held_on}"

    @property
    def committee_names(self) -> list[str]:
        return [n.strip() for n in self.committee.splitlines() if n.strip()]

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.held_on and self.term_ends_on and self.term_ends_on <= self.held_on:
            errors["term_ends_on"] = gettext("The term must end after the election.")
        if self.secretary_name and self.secretary_name.strip() not in self.committee_names:
            errors["secretary_name"] = gettext("The secretary must be one of the committee.")
        if errors:
            raise ValidationError(errors)
