"""The browser face of the whistles: the list (filters, xlsx ledger), a whistle's page with its
departments, their deadlines and its history — where a department reports and resolves —, the
statistics (open, overdue, solved, amounts by chain, department and month, with charts) and
the policy catalogue. Scoped: a whistle outside scope answers 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.forms import style_inputs
from organizations.models import Department
from organizations.scoped import Column

from ..pages import EcoListView, Table, stats_page
from . import selectors, services
from .choices import OPEN_STATUSES, WhistleStatus
from .filtersets import PolicyFilterSet, WhistleFilterSet
from .models import Policy, Whistle, WhistleAssignment

CHANGE = "ecosystem.change_whistleassignment"


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


WHISTLE_COLUMNS = (
    Column(_label(Whistle, "reference"), lambda w: w.reference),
    Column(_label(Whistle, "title"), lambda w: w.title),
    Column(_label(Whistle, "chain"), lambda w: w.chain.name),
    Column(_label(Whistle, "enterprise"), lambda w: w.enterprise.name),
    Column(_label(Whistle, "category"), lambda w: w.get_category_display()),
    Column(_label(Whistle, "raised_at"), lambda w: _local(w.raised_at)),
    Column(_label(Whistle, "status"), lambda w: w.get_status_display()),
    Column(_("Overdue"), lambda w: bool(w.overdue)),
)


class WhistleListView(EcoListView):
    model = Whistle
    filterset_class = WhistleFilterSet
    export_columns = WHISTLE_COLUMNS
    export_filename = "whistles.xlsx"
    title = _("Whistles")
    detail_url_name = "ecosystem_whistles:detail"

    def base_queryset(self):
        return selectors.whistles_for(self.request.user).order_by("-raised_at", "-id")


whistle_list = WhistleListView.as_view()


class ReportForm(forms.Form):
    note = forms.CharField(
        label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
    loan_amount = forms.DecimalField(
        label=_("Loans coordinated (yuan)"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        required=False,
    )
    talents_introduced = forms.IntegerField(
        label=_("Talents introduced"), min_value=0, max_value=1_000_000, required=False
    )
    approval_obtained = forms.BooleanField(label=_("Approval obtained"), required=False)
    policies = forms.ModelMultipleChoiceField(
        label=_("Policies applied"),
        queryset=Policy.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RouteForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Route to departments"),
        queryset=Department.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )


ROUTE = "ecosystem.change_whistle"


@login_required
def whistle_detail(request, pk: int):
    whistle = get_object_or_404(selectors.whistles_for(request.user), pk=pk)
    assignments = list(selectors.assignments_for(request.user).filter(whistle=whistle))
    can_answer = request.user.has_perm(CHANGE)
    for a in assignments:
        a.report_form = ReportForm(prefix=f"r{a.pk}")
        a.resolve_form = ResolveForm(prefix=f"s{a.pk}")
        style_inputs(a.report_form)
        style_inputs(a.resolve_form)
    return render(
        request,
        "ecosystem/whistles/detail.html",
        {
            "whistle": whistle,
            "assignments": assignments,
            "events": whistle.events.select_related("assignment__department", "actor"),
            "policies": whistle.policies.all(),
            "can_answer": can_answer,
            "can_route": request.user.has_perm(ROUTE) and whistle.status in OPEN_STATUSES,
            "can_close": request.user.has_perm(ROUTE) and whistle.status == WhistleStatus.RESOLVED,
            "route_form": RouteForm(),
        },
    )


def _assignment(request, pk: int) -> WhistleAssignment:
    return get_object_or_404(selectors.assignments_for(request.user), pk=pk)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def assignment_report(request, pk: int):
    assignment = _assignment(request, pk)
    form = ReportForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        try:
            services.assignment_report(
                actor=request.user, assignment=assignment, note=form.cleaned_data["note"]
            )
            messages.success(request, gettext("Reported."))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("ecosystem_whistles:detail", assignment.whistle_id)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def assignment_resolve(request, pk: int):
    assignment = _assignment(request, pk)
    form = ResolveForm(request.POST, prefix=f"s{pk}")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {'；'.join(errors)}")
        return redirect("ecosystem_whistles:detail", assignment.whistle_id)
    data = form.cleaned_data
    try:
        services.assignment_resolve(
            actor=request.user,
            assignment=assignment,
            outcome=data["outcome"],
            loan_amount=data.get("loan_amount") or 0,
            talents_introduced=data.get("talents_introduced") or 0,
            approval_obtained=data.get("approval_obtained", False),
            policies=data.get("policies") or [],
        )
        messages.success(request, gettext("Resolved."))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("ecosystem_whistles:detail", assignment.whistle_id)


@login_required
@permission_required(ROUTE, raise_exception=True)
@require_POST
def whistle_route(request, pk: int):
    whistle = get_object_or_404(selectors.whistles_for(request.user), pk=pk)
    form = RouteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("departments") or gettext("Choose a department."))
        services.whistle_route(
            actor=request.user, whistle=whistle, departments=form.cleaned_data["departments"]
        )
        messages.success(request, gettext("Routed."))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("ecosystem_whistles:detail", whistle.pk)


@login_required
@permission_required(ROUTE, raise_exception=True)
@require_POST
def whistle_close(request, pk: int):
    whistle = get_object_or_404(selectors.whistles_for(request.user), pk=pk)
    try:
        services.whistle_close(actor=request.user, whistle=whistle)
        messages.success(request, gettext("Closed."))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("ecosystem_whistles:detail", whistle.pk)


def _yuan(value) -> str:
    return f"{value:,.2f}"


@login_required
@permission_required("ecosystem.view_whistle", raise_exception=True)
def stats(request):
    s = selectors.whistle_stats(request.user)
    t = s.totals
    cards = [
        {"key": "whistles", "label": gettext("Whistles raised"), "value": t["whistles"]},
        {"key": "open", "label": gettext("Open"), "value": t["open"]},
        {"key": "overdue", "label": gettext("Overdue"), "value": t["overdue"]},
        {"key": "solved", "label": gettext("Problems solved"), "value": t["solved"]},
        {
            "key": "loans",
            "label": gettext("Loans coordinated (yuan)"),
            "value": _yuan(t["loan_amount"]),
        },
        {
            "key": "talents",
            "label": gettext("Talents introduced"),
            "value": t["talents_introduced"],
        },
        {"key": "approvals", "label": gettext("Approvals obtained"), "value": t["approvals"]},
    ]
    charts = [
        {
            "id": "chart-chain",
            "type": "hbar",
            "title": gettext("Whistles by chain"),
            "names": [r["name"] for r in s.by_chain],
            "series": [
                {"name": gettext("Solved"), "values": [r["solved"] for r in s.by_chain]},
                {"name": gettext("Open"), "values": [r["open"] for r in s.by_chain]},
            ],
        },
        {
            "id": "chart-department",
            "type": "hbar",
            "title": gettext("Overdue by department"),
            "names": [r["name"] for r in s.by_department],
            "series": [
                {"name": gettext("Overdue"), "values": [r["overdue"] for r in s.by_department]}
            ],
        },
        {
            "id": "chart-month",
            "type": "line",
            "title": gettext("Whistles by month"),
            "names": [r["month"] for r in s.by_month],
            "series": [
                {"name": gettext("Raised"), "values": [r["whistles"] for r in s.by_month]},
                {"name": gettext("Solved"), "values": [r["solved"] for r in s.by_month]},
            ],
        },
        {
            "id": "chart-category",
            "type": "hbar",
            "title": gettext("Whistles by category"),
            "names": [r["name"] for r in s.by_category],
            "series": [
                {"name": gettext("Whistles"), "values": [r["whistles"] for r in s.by_category]}
            ],
        },
    ]
    counts = [gettext("Whistles"), gettext("Open"), gettext("Overdue"), gettext("Solved")]
    tables = [
        Table(
            "by-chain",
            gettext("By industry chain"),
            [gettext("Industry chain"), *counts, gettext("Loans coordinated (yuan)")],
            [
                [
                    r["name"],
                    r["whistles"],
                    r["open"],
                    r["overdue"],
                    r["solved"],
                    _yuan(r["loan_amount"]),
                ]
                for r in s.by_chain
            ],
        ),
        Table(
            "by-department",
            gettext("By department"),
            [
                gettext("Department"),
                gettext("Assignments"),
                gettext("Open"),
                gettext("Overdue"),
                gettext("Resolved"),
                gettext("Loans coordinated (yuan)"),
            ],
            [
                [
                    r["name"],
                    r["assignments"],
                    r["open"],
                    r["overdue"],
                    r["resolved"],
                    _yuan(r["loan_amount"]),
                ]
                for r in s.by_department
            ],
        ),
        Table(
            "by-month",
            gettext("By month"),
            [gettext("Month"), gettext("Raised"), gettext("Solved")],
            [[r["month"], r["whistles"], r["solved"]] for r in s.by_month],
        ),
    ]
    return stats_page(
        request,
        title=gettext("Whistle statistics"),
        cards=cards,
        charts=charts,
        tables=tables,
        definition=gettext(
            "Open: raised, routed or reported, not yet resolved by every department. Overdue: "
            "open, with a department past its working-time deadline to report or to resolve. "
            "Solved: resolved or closed. Loans, talents and approvals: the outcomes the "
            "departments recorded when they resolved their part."
        ),
        export_name="whistle-statistics",
        export_model=Whistle,
    )


POLICY_COLUMNS = (
    Column(_label(Policy, "title"), lambda p: p.title),
    Column(_label(Policy, "category"), lambda p: p.get_category_display()),
    Column(_label(Policy, "department"), lambda p: str(p.department or "")),
    Column(_label(Policy, "issued_on"), lambda p: p.issued_on),
    Column(_("Whistles served"), lambda p: p.whistles_served),
)


class PolicyListView(EcoListView):
    model = Policy
    filterset_class = PolicyFilterSet
    export_columns = POLICY_COLUMNS
    export_filename = "policies-for-enterprises.xlsx"
    title = _("Policies for enterprises")

    def base_queryset(self):
        return selectors.policies(self.request.user).order_by("-issued_on", "title", "id")


policy_list = PolicyListView.as_view()
