"""The browser face of the two finds: the public self-report form, the review queue, the case
page, the three ledgers and the list of workers to verify.

Thin: forms shape input, ``members.services`` decide, ``members.selectors`` read in scope.
An object outside the user's scope answers 404. Personal ids and phones are only ever shown
masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from core.pii import display, mask_phone, mask_resident_id
from organizations.choices import RegionLevel
from organizations.models import Region
from organizations.scoped import Column, ScopedListView
from organizations.scoping import visible

from . import selectors, throttle
from .choices import CLOSED_CASE_STATUSES, CaseStatus, ClaimChannel, ProposalStatus
from .filtersets import CaseFilterSet, MatchProposalFilterSet, WorkerFilterSet
from .forms import HONEYPOT_FIELD, CaseTransitionForm, ClaimForm, apply_service_errors
from .models import Case, MatchProposal, Worker
from .services.cases import TRANSITIONS, case_transition
from .services.claims import claim_submit, new_reference, validate_claim
from .services.review import proposal_confirm, proposal_reject

SESSION_REFERENCE = "members_claim_reference"


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- members find the organization: the public form ------------------------------------------


@require_http_methods(["GET", "POST"])
def report(request):
    """The public self-report form (no login): rate-limited per client, with a honeypot."""
    channel = ClaimChannel.STATION_QR if request.GET.get("via") == "station" else None
    channel = channel or ClaimChannel.PUBLIC_FORM
    if request.method == "GET":
        return render(request, "members/report.html", {"form": ClaimForm()})
    if not throttle.allow_report(request):
        limit, window = throttle.report_limits()
        return render(
            request,
            "members/report_limited.html",
            {"limit": limit, "minutes": max(1, window // 60)},
            status=429,
        )
    form = ClaimForm(request.POST)
    if request.POST.get(HONEYPOT_FIELD):
        # A bot: answer as if it worked, store nothing.
        request.session[SESSION_REFERENCE] = new_reference()
        return redirect("members:report_done")
    if form.is_valid():
        try:
            claim = claim_submit(channel=channel, data=form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            request.session[SESSION_REFERENCE] = claim.reference
            return redirect("members:report_done")
    else:
        # Report every wrong field at once, not only those the form itself checks.
        try:
            validate_claim({name: request.POST.get(name, "") for name in form.fields})
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                if name in form.fields and name not in form.errors:
                    form.add_error(name, errors)
    return render(request, "members/report.html", {"form": form}, status=400)


def report_done(request):
    """The reference number, once, and nothing of what was submitted."""
    reference = request.session.pop(SESSION_REFERENCE, None)
    if not reference:
        return redirect("members:report")
    return render(request, "members/report_done.html", {"reference": reference})


# --- the review queue ------------------------------------------------------------------------

_ID_LIKE = re.compile(r"\b\d{17}[\dXx]\b")
_PHONE_LIKE = re.compile(r"\b1[3-9]\d{9}\b")


def _safe_text(value: Any) -> str:
    """Evidence is written by the matcher; never let a raw id or phone through to the page."""
    text = value if isinstance(value, str) else str(value)
    text = _ID_LIKE.sub(lambda m: mask_resident_id(m.group()), text)
    return _PHONE_LIKE.sub(lambda m: mask_phone(m.group()), text)


def _format_evidence_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        return "、".join(_format_evidence_value(_evidence_label(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_format_evidence_value(v)}" for k, v in value.items())
    return _safe_text(value)


#: How the matcher's evidence keys and agreement levels read on the page; unknown ones are
#: shown as stored.
EVIDENCE_KEYS = {
    "level": _("agreement"),
    "worker": _("worker"),
    "member": _("party member"),
    "char_ratio": _("same characters (%)"),
    "pinyin_ratio": _("same sound (%)"),
    "score": _("score"),
    "blocks": _("found through"),
}
EVIDENCE_VALUES = {
    "missing": _("not given"),
    "agree": _("same"),
    "differ": _("different"),
    "close": _("close (one digit or day and month swapped)"),
    "exact": _("same characters"),
    "homophone": _("same sound, other characters"),
    "alike": _("one character sounds or looks alike"),
    "typo": _("one digit changed or two swapped (a typing slip)"),
    "similar": _("similar"),
    "partial": _("partly the same"),
    "different": _("different"),
    "id": _("ID number"),
    "phone": _("phone"),
    "birth_surname": _("birth date and surname"),
    "birth_district": _("birth date and district"),
    "pinyin_district": _("name sound and district"),
}


#: Why a proposal waits for a person (``members.matching.REASONS``), in words.
REASON_LABELS = {
    "id_differ": _("two different valid ID numbers"),
    "id_typo": _("the ID numbers differ by a typing slip"),
    "id_missing": _("no ID number on one side"),
    "name_homophone": _("the names sound the same but are written differently"),
    "name_alike": _("one character of the name sounds or looks alike"),
    "name_similar": _("the names are only similar"),
    "name_partial": _("the names are partly the same"),
    "name_different": _("the names differ"),
    "phone_differ": _("different phone numbers"),
    "phone_missing": _("no phone on one side"),
    "birth_close": _("the birth dates differ by one digit"),
    "birth_differ": _("different birth dates"),
    "birth_missing": _("no birth date to compare"),
    "district_moved": _("works in another district"),
    "competing": _("other proposals name the same member"),
    "below_accept": _("the evidence is not strong enough to accept by itself"),
}


def _evidence_label(value: Any) -> str:
    return str(EVIDENCE_VALUES.get(value, value)) if isinstance(value, str) else value


@dataclass
class EvidenceItem:
    key: str
    value: str


@dataclass
class CompareRow:
    label: str
    worker: str
    member: str
    evidence: list[EvidenceItem] = field(default_factory=list)
    weight: str = ""

    @property
    def same(self) -> bool:
        return bool(self.worker) and self.worker == self.member


def _evidence_items(raw: Any) -> tuple[list[EvidenceItem], str]:
    if isinstance(raw, dict):
        weight = raw.get("weight")
        items = [
            EvidenceItem(
                str(EVIDENCE_KEYS.get(k, k)),
                _format_evidence_value(_evidence_label(v) if k == "level" else v),
            )
            for k, v in raw.items()
            if k != "weight"
        ]
        return items, (_format_evidence_value(weight) if weight is not None else "")
    return [EvidenceItem("", _format_evidence_value(raw))], ""


def _name(obj) -> str:
    return obj.name if obj is not None else ""


#: (label, value of a person, evidence keys the matcher may use for it)
_COMPARED = (
    (pgettext_lazy("person", "Name"), lambda p: p.name, ("name", "name_chars")),
    (_("Pinyin"), lambda p: p.name_pinyin, ("name_pinyin", "pinyin")),
    (_("ID number"), lambda p: display(p, "id_number"), ("id_number", "id")),
    (_("Phone"), lambda p: display(p, "phone"), ("phone",)),
    (
        _("Birth date"),
        lambda p: p.birth_date.isoformat() if p.birth_date else "",
        ("birth_date", "birth"),
    ),
    (_("Gender"), lambda p: p.get_gender_display() if p.gender else "", ("gender",)),
    (_("Region"), lambda p: _name(p.region), ("region",)),
    (_("Industry"), lambda p: _name(p.industry), ("industry",)),
)


def compare_rows(proposal: MatchProposal) -> tuple[list[CompareRow], list[CompareRow]]:
    """The worker and the member side by side with the matcher's per-field evidence, and the
    evidence about fields that are not compared here. Works with whatever dict of
    field → details the matcher stored (``{"fields": {...}}`` or the fields at the top)."""
    evidence = proposal.evidence if isinstance(proposal.evidence, dict) else {}
    per_field = evidence.get("fields") if isinstance(evidence.get("fields"), dict) else evidence
    used: set[str] = set()
    rows = []
    for label, value, keys in _COMPARED:
        row = CompareRow(str(label), value(proposal.worker), value(proposal.member))
        for key in keys:
            if key in per_field:
                row.evidence, row.weight = _evidence_items(per_field[key])
                used.add(key)
                break
        rows.append(row)
    extra = []
    for key, raw in per_field.items():
        if key in used or (per_field is evidence and key == "fields"):
            continue
        items, weight = _evidence_items(raw)
        extra.append(CompareRow(_safe_text(key), "", "", items, weight))
    return rows, extra


@dataclass
class ProposalCard:
    proposal: MatchProposal
    rows: list[CompareRow]
    extra: list[CompareRow]
    reasons: list[str] = field(default_factory=list)
    rank: int = 1
    rivals: int = 0
    probability: float | None = None

    @property
    def competing(self) -> int:
        return self.rivals + 1


def _card(proposal: MatchProposal) -> ProposalCard:
    rows, extra = compare_rows(proposal)
    evidence = proposal.evidence if isinstance(proposal.evidence, dict) else {}
    reasons = [str(REASON_LABELS.get(code, code)) for code in evidence.get("reasons", []) if code]
    probability = evidence.get("probability")
    return ProposalCard(
        proposal,
        rows,
        [r for r in extra if r.label not in _NOT_FIELDS],
        reasons,
        int(evidence.get("rank", 1) or 1),
        int(evidence.get("rivals", 0) or 0),
        float(probability) if isinstance(probability, int | float) else None,
    )


#: Keys of the evidence that are not fields (shown in the card's header instead).
_NOT_FIELDS = frozenset({"probability", "uncertainty", "reasons", "rank", "rivals", "model"})


@login_required
@permission_required("members.view_matchproposal", raise_exception=True)
def review_queue(request):
    """Proposals waiting for review, the most uncertain first (a member's competing proposals
    together), 20 a page; filter by rule, score, industry and region."""
    queryset = selectors.proposals_for_review(request.user)
    filterset = MatchProposalFilterSet(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound:
        queryset = filterset.qs if filterset.is_valid() else queryset.none()
    form = filterset.form
    del form.fields["status"]  # the queue holds the proposals waiting for review only
    _tune_filter_form(form)
    paginator = Paginator(queryset, 20)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "members/review_queue.html",
        {
            "filterset": filterset,
            "filter_fields": list(form),
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "page_obj": page,
            "cards": [_card(p) for p in page.object_list],
            "can_decide": request.user.has_perm("members.change_matchproposal"),
            "default_reject_note": gettext("Not the same person."),
        },
    )


@login_required
@permission_required("members.change_matchproposal", raise_exception=True)
@require_POST
def proposal_decide(request, pk: int, decision: str):
    """Confirm or reject one proposal. With htmx the answer is the row's new content; without
    JavaScript, a redirect back to the queue with a message."""
    proposal = get_object_or_404(visible(MatchProposal, request.user), pk=pk)
    error = ""
    note = request.POST.get("note", "")
    try:
        if decision == "confirm":
            proposal_confirm(actor=request.user, proposal=proposal, note=note)
        else:
            proposal_reject(actor=request.user, proposal=proposal, note=note)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    proposal = (
        MatchProposal.objects.select_related("worker", "member", "decided_by")
        .filter(pk=proposal.pk)
        .first()
    )
    case = Case.objects.filter(proposal=proposal).first()
    if _is_htmx(request):
        return render(
            request,
            "members/_proposal_result.html",
            {"proposal": proposal, "case": case, "error": error},
        )
    if error:
        messages.error(request, error)
    elif proposal.status == ProposalStatus.CONFIRMED:
        messages.success(
            request,
            gettext("Confirmed: %(worker)s is %(member)s; case #%(case)s follows them.")
            % {"worker": proposal.worker.name, "member": proposal.member.name, "case": case.pk},
        )
    else:
        messages.success(
            request,
            gettext("Rejected: %(worker)s is not %(member)s. This pair will not be proposed again.")
            % {"worker": proposal.worker.name, "member": proposal.member.name},
        )
    return HttpResponseRedirect(_safe_next(request, reverse("members:review")))


# --- the case page ---------------------------------------------------------------------------

#: What has to happen next in each open status (the task list's "what next").
NEXT_ACTION = {
    CaseStatus.DISCOVERED: _("Verify the match"),
    CaseStatus.VERIFYING: _("Contact the member"),
    CaseStatus.CONTACTED: _("Record the member's report"),
    CaseStatus.REPORTED: _("Place in a local branch"),
    CaseStatus.ASSIGNED: _("Transfer the membership relation"),
    CaseStatus.LOST_CONTACT: _("Regain contact"),
}


def next_action(case: Case) -> str:
    return str(NEXT_ACTION.get(case.status, ""))


@login_required
@permission_required("members.view_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_detail(request, pk: int):
    user = request.user
    case = get_object_or_404(selectors.cases(user), pk=pk)
    allowed = TRANSITIONS.get(case.status, frozenset())
    can_change = user.has_perm("members.change_case")
    form = CaseTransitionForm(
        request.POST if request.method == "POST" else None, user=user, allowed=allowed
    )
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                case_transition(
                    actor=user,
                    case=case,
                    to_status=data["to_status"],
                    note=data["note"],
                    organization=data.get("organization"),
                    owner=data["owner"],
                    due_on=data["due_on"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc, aliases={"status": "to_status"})
            else:
                messages.success(
                    request,
                    gettext("Case #%(case)s is now “%(status)s”.")
                    % {"case": case.pk, "status": CaseStatus(data["to_status"]).label},
                )
                return redirect("members:case_detail", pk=case.pk)
        status = 400
    person = case.member or case.claim or case.worker
    buttons = [
        (s, CaseStatus(s).label) for s in CaseStatus.values if s in allowed
    ]  # in the flow's order
    return render(
        request,
        "members/case_detail.html",
        {
            "case": case,
            "person": person,
            "person_id": display(person, "id_number") if person is not None else "",
            "person_phone": display(person, "phone") if person is not None else "",
            "worker_id": display(case.worker, "id_number") if case.worker else "",
            "worker_phone": display(case.worker, "phone") if case.worker else "",
            "events": selectors.case_events(user, case),
            "form": form,
            "buttons": buttons if can_change else [],
            "next_action": next_action(case),
            "overdue": selectors.is_overdue(case),
        },
        status=status,
    )


# --- the three ledgers -----------------------------------------------------------------------


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


def _tune_filter_form(form) -> None:
    """Widgets that work on a phone and without JavaScript (as on the enterprise list)."""
    fields = form.fields
    for choice_field in fields.values():
        if isinstance(choice_field, forms.MultipleChoiceField) and not isinstance(
            choice_field, forms.ModelMultipleChoiceField
        ):
            choice_field.widget = forms.CheckboxSelectMultiple(choices=choice_field.choices)
    if "region" in fields:
        regions = (
            Region.objects.exclude(level=RegionLevel.COMMUNITY)
            .only("code", "name", "depth")
            .order_by("path")
        )
        fields["region"].label = form["region"].label = _("Region (includes its subtree)")
        fields["region"].widget = forms.Select(
            choices=[("", "---------")] + [(r.code, "\u3000" * r.depth + r.name) for r in regions]
        )
    if "overdue" in fields:
        fields["overdue"].widget = forms.Select(
            choices=[("", "---------"), ("true", _("Overdue only")), ("false", _("Not overdue"))]
        )
    if "q" in fields:
        fields["q"].widget.input_type = "search"
    for name in ("opened_after", "opened_before"):
        if name in fields:
            fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    for bound in form:
        if not isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
            bound.field.widget.attrs.setdefault("class", "input")


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
            _tune_filter_form(form)
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
        context["filtered"] = any(
            v for k, v in self.request.GET.items() if k not in ("page", "format")
        )
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
    Column(_("Industry"), lambda w: _name(w.industry)),
    Column(_("Enterprise"), lambda w: _name(w.enterprise)),
    Column(_("Region"), lambda w: _name(w.region)),
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
