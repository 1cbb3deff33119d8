"""The three ledgers of the two finds (baseline, tasks, progress) and the list of workers to
verify: scoped lists with filters and an xlsx export. Personal ids and phones only masked."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.pii import display
from organizations.scoped import Column, ScopedListView

from .. import selectors
from ..choices import CLOSED_CASE_STATUSES, CaseStatus
from ..filtersets import CaseFilterSet, WorkerFilterSet
from ..models import Case, Worker
from .cases import next_action
from .common import name_of, tune_filter_form


def _person(case: Case):
    return case.member or case.claim or case.worker


def _masked(case: Case, field_name: str) -> str:
    person = _person(case)
    return display(person, field_name) if person is not None else ""


def _home_organization(case: Case) -> str:
    member = case.member
    if member is not None:
        if member.organization_id:
            return member.organization.name
        return member.home_organization_name
    return case.claim.home_organization_name if case.claim else ""


def _host_organization(case: Case) -> str:
    if case.organization_id:
        return case.organization.name
    if case.member and case.member.host_organization_id:
        return case.member.host_organization.name
    return ""


def _enterprise(case: Case) -> str:
    if case.worker and case.worker.enterprise_id:
        return case.worker.enterprise.name
    return case.claim.employer_name if case.claim else ""


def _industry(case: Case) -> str:
    if case.worker and case.worker.industry_id:
        return case.worker.industry.name
    return case.industry.name if case.industry_id else ""


def _region(case: Case) -> str:
    if case.worker and case.worker.region_id:
        return case.worker.region.name
    return case.region.name if case.region_id else ""


def _date(value) -> Any:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).date()
    return value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _case_label(case: Case) -> str:
    return f"#{case.pk}"


_CASE = Column(_("Case"), _case_label)
_NAME = Column(pgettext_lazy("person", "Name"), lambda c: _person(c).name if _person(c) else "")
_ID = Column(_("ID number"), lambda c: _masked(c, "id_number"))
_PHONE = Column(_("Phone"), lambda c: _masked(c, "phone"))
_STATUS = Column(_("Case status"), lambda c: c.get_status_display())
_INDUSTRY = Column(_("Industry"), _industry)
_REGION = Column(_("Region"), _region)

BASELINE_COLUMNS = (
    _CASE,
    _NAME,
    _ID,
    _PHONE,
    Column(
        _("Membership status"),
        lambda c: c.member.get_status_display() if c.member else gettext("Self-reported"),
    ),
    Column(_("Home organization"), _home_organization),
    Column(_("Host organization"), _host_organization),
    _INDUSTRY,
    Column(_("Enterprise"), _enterprise),
    _REGION,
    Column(_("Found by"), lambda c: c.get_origin_display()),
    Column(_("Found on"), lambda c: _date(c.created_at)),
    _STATUS,
)

TASK_COLUMNS = (
    _CASE,
    _NAME,
    _PHONE,
    _STATUS,
    Column(_("What next"), next_action),
    Column(_("Owner"), lambda c: c.owner.get_username() if c.owner_id else ""),
    Column(_("Due on"), lambda c: c.due_on or ""),
    Column(_("Overdue"), lambda c: gettext("Overdue") if selectors.is_overdue(c) else ""),
    _INDUSTRY,
    _REGION,
)

PROGRESS_COLUMNS = (
    _CASE,
    _NAME,
    Column(_("Found by"), lambda c: c.get_origin_display()),
    _STATUS,
    *(
        Column(
            label,
            lambda c, s=status: _date(getattr(c, selectors.reached_field(s), None)),
        )
        for status, label in CaseStatus.choices
    ),
    Column(_("Closed on"), lambda c: _date(c.closed_at)),
)


class LedgerView(PermissionRequiredMixin, ScopedListView):
    """A ledger page: its columns are both the table and the xlsx export."""

    model = Case
    permission_required = "members.view_case"
    raise_exception = True
    filterset_class = CaseFilterSet
    template_name = "members/ledger.html"
    paginate_by = 50
    title = ""
    description = ""
    filter_fields: tuple[str, ...] = ()
    selector = staticmethod(selectors.cases)
    highlight_overdue = False

    @property
    def export_columns(self):
        return self.columns

    @property
    def export_title(self):  # type: ignore[override]
        return self.title

    def base_queryset(self):
        return self.selector(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filterset"]
        if filterset is not None:
            form = filterset.form
            for name in list(form.fields):
                if name not in self.filter_fields:
                    del form.fields[name]
            tune_filter_form(form)
            context["filter_fields"] = list(form)
        today = timezone.localdate()
        headers = [capfirst(str(c.header)) for c in self.columns]
        context["rows"] = [
            {
                "object": obj,
                "url": self.row_url(obj),
                "cells": [
                    {"header": header, "value": _cell_text(column.value(obj))}
                    for header, column in zip(headers, self.columns, strict=True)
                ],
                "overdue": self.highlight_overdue and selectors.is_overdue(obj, today),
            }
            for obj in context["object_list"]
        ]
        context["headers"] = headers
        context["title"] = self.title
        context["description"] = self.description
        return context

    def row_url(self, obj) -> str:
        return reverse("members:case_detail", args=[obj.pk])


class BaselineLedgerView(LedgerView):
    title = _("Baseline list")
    description = _("Every party member identified among the workers, and how they were found.")
    columns = BASELINE_COLUMNS
    export_filename = "baseline.xlsx"
    filter_fields = ("q", "origin", "status", "member_status", "industry", "region")
    selector = staticmethod(selectors.baseline_cases)


class TaskLedgerView(LedgerView):
    title = _("Task list")
    description = _("Open cases waiting for an action: what next, who, and by when.")
    columns = TASK_COLUMNS
    export_filename = "tasks.xlsx"
    filter_fields = ("q", "status", "owner", "industry", "region", "overdue")
    selector = staticmethod(selectors.task_cases)
    highlight_overdue = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filterset"]
        if filterset is not None and "status" in filterset.form.fields:
            field = filterset.form.fields["status"]
            field.choices = [c for c in field.choices if c[0] not in CLOSED_CASE_STATUSES]
        return context


class ProgressLedgerView(LedgerView):
    title = _("Progress list")
    description = _("Each case's history: the date it reached each status.")
    columns = PROGRESS_COLUMNS
    export_filename = "progress.xlsx"
    filter_fields = ("q", "status", "origin", "industry", "region", "opened_after", "opened_before")
    selector = staticmethod(selectors.progress_cases)


# --- workers to verify -----------------------------------------------------------------------

TO_VERIFY_COLUMNS = (
    Column(pgettext_lazy("person", "Name"), lambda w: w.name),
    Column(_("ID number"), lambda w: display(w, "id_number")),
    Column(_("Phone"), lambda w: display(w, "phone")),
    Column(_("Declared political status"), lambda w: w.get_political_status_display()),
    Column(_("Industry"), lambda w: name_of(w.industry)),
    Column(_("Enterprise"), lambda w: name_of(w.enterprise)),
    Column(_("Region"), lambda w: name_of(w.region)),
    Column(_("Source roster"), lambda w: w.source),
    Column(_("Last seen"), lambda w: _date(w.last_seen)),
)


class WorkersToVerifyView(LedgerView):
    """Workers who declare membership but match no member record."""

    model = Worker
    permission_required = "members.view_worker"
    filterset_class = WorkerFilterSet
    title = _("Workers to verify")
    description = _(
        "Workers who declare themselves party members but match no record on the member roster."
    )
    columns = TO_VERIFY_COLUMNS
    export_filename = "workers-to-verify.xlsx"
    filter_fields = ("q", "industry", "region", "political_status", "source")
    selector = staticmethod(selectors.workers_to_verify)

    def row_url(self, obj) -> str:
        return ""


baseline = BaselineLedgerView.as_view()
tasks = TaskLedgerView.as_view()
progress = ProgressLedgerView.as_view()
to_verify = WorkersToVerifyView.as_view()
