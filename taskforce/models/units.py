"""The task force (工作专班) and its member units (成员单位) with their duties and contacts.

A member unit is an :class:`organizations.models.Department` (the one list of departments the
other apps know) with what the task force needs of it: its duties and its contact people. The
staff of a unit hold a ``department`` scope grant (``organizations.scoping``) and see what is
assigned to their unit.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.pii import ProtectedField, ProtectedModelMixin, blind_index_field
from core.userfields import user_reference
from organizations.models import Department
from organizations.scoping import ScopeRule


class TaskForce(models.Model):
    """The task force itself: its name, lead unit and the lead who receives escalations."""

    name = models.CharField(_("name"), max_length=100)
    lead_unit = models.ForeignKey(
        Department,
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead = user_reference(_("lead"), help_text=_("Overdue tasks escalate to this person."))
    escalation_grace_days = models.PositiveSmallIntegerField(
        _("working days before an overdue task escalates"), default=2
    )

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task force")

    def __str__(self) -> str:
        return self.name


class MemberUnit(models.Model):
    """A department as a member unit of the task force."""

    scope = ScopeRule(department="department")

    department = models.OneToOneField(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="member_unit",
    )
    duties = models.TextField(_("duties"), blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["department__code"]

    def __str__(self) -> str:
        return str(self.department)


class UnitContact(ProtectedModelMixin, models.Model):
    """A contact person of a member unit (联络员); the phone is protected and shown masked."""

    scope = ScopeRule(department="unit__department")

    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("member unit"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=64, blank=True)
    phone = ProtectedField(_("phone"), kind="phone", index_field="phone_index", blank=True)
    phone_index = blind_index_field()
    user = user_reference(_("portal user"))

    class Meta:
        verbose_name = _("unit contact")
        verbose_name_plural = _("unit contacts")
        ordering = ["unit", "name"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"
