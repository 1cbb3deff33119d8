"""The browser face of the assistance funds: the fund list with totals, a fund's page with its
disbursements, the disbursement and cancel forms for staff, and the totals page (by purpose,
by industry, in kind) with a chart. Every list exports to xlsx (access-logged).

Scoped like every face: a fund or disbursement outside the user's scope answers 404.
Beneficiaries appear by masked name only (:func:`appeals.assistance.selectors.masked_name`); ID
numbers and phones are never rendered.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import pii
from core.exports import (
    append_info_sheet,
    append_sheet,
    export_info,
    new_workbook,
    workbook_bytes,
    xlsx_file_response,
)
from core.filters import is_filtered
from core.forms import style_inputs
from members.models import PartyMember, Worker
from organizations.scoped import Column, ScopedListView
from organizations.scoping import visible

from . import selectors, services
from .choices import DisbursementPurpose
from .filtersets import AssistanceFundFilterSet, DisbursementFilterSet
from .models import AssistanceFund, Disbursement, FundInKindItem

ADD_PERMISSION = "appeals.add_disbursement"


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _tune(form) -> None:
    style_inputs(form, date_inputs=True, search_q=False)


# --- funds -------------------------------------------------------------------------------------


FUND_COLUMNS = (
    Column(_label(AssistanceFund, "name"), lambda f: f.name),
    Column(_label(AssistanceFund, "source"), lambda f: f.get_source_display()),
    Column(_label(AssistanceFund, "year"), lambda f: f.year),
    Column(_label(AssistanceFund, "owner_organization"), lambda f: f.owner_organization.name),
    Column(_label(AssistanceFund, "budget"), lambda f: f.budget),
    Column(_("Disbursed (yuan)"), lambda f: selectors.money(f.disbursed)),
    Column(_("Remaining (yuan)"), selectors.remaining),
    Column(_("Disbursements"), lambda f: f.disbursement_count),
    Column(_("Beneficiaries"), lambda f: f.beneficiary_count),
    Column(_label(AssistanceFund, "status"), lambda f: f.get_status_display()),
)


class FundListView(ScopedListView):
    model = AssistanceFund
    filterset_class = AssistanceFundFilterSet
    template_name = "appeals/assistance/fund_list.html"
    context_object_name = "funds"
    export_columns = FUND_COLUMNS
    export_filename = "assistance-funds.xlsx"

    def base_queryset(self):
        return selectors.with_totals(
            AssistanceFund.objects.select_related("owner_organization")
        ).order_by("-year", "name", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["filterset"] is not None:
            _tune(context["filterset"].form)
        for fund in context["funds"]:
            fund.remaining_amount = selectors.remaining(fund)
        return context


fund_list = FundListView.as_view()


# --- a fund and its disbursements -------------------------------------------------------------


def _beneficiary_kind(d: Disbursement) -> str:
    return gettext("Worker") if d.worker_id else gettext("Party member")


def _industry(d: Disbursement) -> str:
    industry = selectors.beneficiary_industry(d)
    return industry.name if industry is not None else ""


def _what(d: Disbursement) -> str:
    if d.item_id:
        return f"{d.item.name} × {d.quantity} {d.item.unit}"
    return f"¥{d.amount:,.2f}"


DISBURSEMENT_COLUMNS = (
    Column(_label(Disbursement, "disbursed_on"), lambda d: d.disbursed_on),
    Column(_("Beneficiary"), lambda d: selectors.masked_name(d.beneficiary)),
    Column(_("Beneficiary is"), _beneficiary_kind),
    Column(_("Industry"), _industry),
    Column(_label(Disbursement, "purpose"), lambda d: d.get_purpose_display()),
    Column(_label(Disbursement, "amount"), lambda d: d.amount),
    Column(_label(Disbursement, "item"), lambda d: d.item.name if d.item_id else ""),
    Column(_label(Disbursement, "quantity"), lambda d: d.quantity),
    Column(_label(Disbursement, "approver"), lambda d: d.approver.get_username()),
    Column(_label(Disbursement, "status"), lambda d: d.get_status_display()),
    Column(_label(Disbursement, "appeal"), lambda d: d.appeal.reference if d.appeal else ""),
    Column(_label(Disbursement, "note"), lambda d: d.note),
    Column(_label(Disbursement, "cancel_reason"), lambda d: d.cancel_reason),
)


class FundDisbursementFilterSet(DisbursementFilterSet):
    """The disbursement filters on a fund's own page (the fund is given by the page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("fund", "year"):
            self.filters.pop(name, None)


class FundDetailView(ScopedListView):
    model = Disbursement
    filterset_class = FundDisbursementFilterSet
    template_name = "appeals/assistance/fund_detail.html"
    context_object_name = "disbursements"
    export_columns = DISBURSEMENT_COLUMNS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.fund = get_object_or_404(
                selectors.with_totals(selectors.funds_for(request.user)), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    @property
    def export_filename(self):  # type: ignore[override]
        return f"disbursements-{self.fund.pk}.xlsx"

    def base_queryset(self):
        return (
            selectors.disbursements_for(self.request.user)
            .filter(fund=self.fund)
            .order_by("-disbursed_on", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["filterset"] is not None:
            _tune(context["filterset"].form)
        fund = self.fund
        context.update(
            fund=fund,
            remaining=selectors.remaining(fund),
            items=[
                (item, item.quantity_budget - item.given)
                for item in selectors.items_with_totals(fund)
            ],
            can_disburse=self.request.user.has_perm(ADD_PERMISSION),
            rows=[
                (d, selectors.masked_name(d.beneficiary), _what(d), _industry(d))
                for d in context["disbursements"]
            ],
        )
        return context


fund_detail = FundDetailView.as_view()


# --- the disbursement form -------------------------------------------------------------------


class DisbursementForm(forms.Form):
    """A disbursement typed by staff. The beneficiary is named by roster reference (a worker's
    ``source:external id`` or a member's roster id), looked up within the user's scope."""

    worker_ref = forms.CharField(
        label=_("Worker (source:external id)"),
        required=False,
        max_length=130,
        help_text=_("For example meituan:MT-0001. Leave empty for a party member."),
    )
    member_ref = forms.CharField(
        label=_("Party member (roster id)"),
        required=False,
        max_length=64,
        help_text=_("Leave empty for a worker."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=DisbursementPurpose.choices)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("Money; leave empty for in-kind aid."),
    )
    item = forms.ModelChoiceField(
        label=_("In-kind item"), required=False, queryset=FundInKindItem.objects.none()
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1)
    disbursed_on = forms.DateField(label=_("Date"), initial=timezone.localdate)
    appeal_reference = forms.CharField(label=_("Appeal reference"), required=False, max_length=32)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    #: Service error keys → form fields.
    FIELD_OF = {"worker": "worker_ref", "member": "member_ref", "fund": None}

    def __init__(self, *args, fund: AssistanceFund, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fund, self.user = fund, user
        self.fields["item"].queryset = FundInKindItem.objects.filter(fund=fund)
        if not fund.items.exists():
            del self.fields["item"], self.fields["quantity"]
        _tune(self)

    def clean_worker_ref(self):
        ref = self.cleaned_data["worker_ref"].strip()
        if not ref:
            return None
        source, sep, external_id = ref.partition(":")
        worker = None
        if sep:
            worker = (
                visible(Worker, self.user)
                .filter(source=source.strip(), external_id=external_id.strip())
                .first()
            )
        if worker is None:
            raise ValidationError(gettext("No worker with this reference in your scope."))
        return worker

    def clean_member_ref(self):
        ref = self.cleaned_data["member_ref"].strip()
        if not ref:
            return None
        member = visible(PartyMember, self.user).filter(member_id=ref).first()
        if member is None:
            raise ValidationError(gettext("No party member with this roster id in your scope."))
        return member

    def service_data(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {
            "fund": self.fund,
            "worker": c.get("worker_ref"),
            "member": c.get("member_ref"),
            "purpose": c["purpose"],
            "amount": c.get("amount"),
            "item": c.get("item"),
            "quantity": c.get("quantity"),
            "disbursed_on": c["disbursed_on"],
            "appeal_reference": c.get("appeal_reference", ""),
            "note": c.get("note", ""),
            "approver": self.user,
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.message_dict.items():
            field = self.FIELD_OF.get(key, key)
            self.add_error(field if field in self.fields else None, errors)


@login_required
def disbursement_create(request, pk: int):
    fund = get_object_or_404(selectors.with_totals(selectors.funds_for(request.user)), pk=pk)
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    form = DisbursementForm(request.POST or None, fund=fund, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.disbursement_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, gettext("The disbursement was recorded."))
            return redirect("appeals_assistance:fund_detail", pk=fund.pk)
    return render(
        request,
        "appeals/assistance/disbursement_form.html",
        {"fund": fund, "form": form, "remaining": selectors.remaining(fund)},
        status=400 if request.method == "POST" else 200,
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


@login_required
def disbursement_cancel(request, pk: int):
    disbursement = get_object_or_404(selectors.disbursements_for(request.user), pk=pk)
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    form = CancelForm(request.POST or None)
    _tune(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.disbursement_cancel(
                actor=request.user,
                disbursement=disbursement,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.message_dict.items():
                    form.add_error("reason" if key == "reason" else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request, gettext("The disbursement was cancelled; its amount is released.")
            )
            return redirect("appeals_assistance:fund_detail", pk=disbursement.fund_id)
    return render(
        request,
        "appeals/assistance/disbursement_cancel.html",
        {
            "disbursement": disbursement,
            "beneficiary": selectors.masked_name(disbursement.beneficiary),
            "what": _what(disbursement),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- totals ----------------------------------------------------------------------------------


TOTAL_HEADERS = (
    _("Amount (yuan)"),
    _("Disbursements"),
    _("of which in kind"),
    _("Beneficiaries"),
)
ITEM_HEADERS = (
    _("Fund"),
    _("In-kind item"),
    _("Unit"),
    _("Quantity available"),
    _("Given"),
    _("Disbursements"),
    _("Beneficiaries"),
)


def _totals_workbook(purpose_rows, industry_rows, item_rows, info) -> tuple[bytes, int]:
    workbook = new_workbook()
    counts: list[tuple[str, int]] = []

    def sheet(title: str, headers, rows) -> None:
        counts.append((title, append_sheet(workbook, title, headers, rows)))

    def total_rows(rows):
        # Amounts as exact text, as core.exports writes every Decimal.
        return [(r.label, str(r.amount), r.count, r.in_kind_count, r.beneficiaries) for r in rows]

    sheet(gettext("By purpose"), (gettext("Purpose"), *TOTAL_HEADERS), total_rows(purpose_rows))
    sheet(gettext("By industry"), (gettext("Industry"), *TOTAL_HEADERS), total_rows(industry_rows))
    sheet(
        gettext("In kind"),
        ITEM_HEADERS,
        [
            (r.fund, r.item, r.unit, r.quantity_budget, r.given, r.count, r.beneficiaries)
            for r in item_rows
        ],
    )
    append_info_sheet(workbook, info, counts)
    return workbook_bytes(workbook), sum(c for _t, c in counts)


@login_required
def totals(request):
    base = selectors.disbursements_for(request.user).order_by()
    filterset = DisbursementFilterSet(request.GET or None, queryset=base, request=request)
    queryset = base
    if filterset.is_bound:
        queryset = filterset.qs if filterset.is_valid() else base.none()
    overall = selectors.totals_overall(queryset)
    by_purpose = selectors.totals_by_purpose(queryset)
    by_industry = selectors.totals_by_industry(queryset)
    by_item = selectors.totals_by_item(queryset)
    if request.GET.get("format") == "xlsx":
        body, count = _totals_workbook(
            by_purpose, by_industry, by_item, export_info(request, filterset=filterset)
        )
        pii.record_export(
            actor=request.user,
            model=Disbursement,
            fields=[str(h) for h in TOTAL_HEADERS],
            row_count=count,
        )
        return xlsx_file_response("assistance-totals.xlsx", body)
    _tune(filterset.form)
    query = request.GET.copy()
    query.pop("format", None)
    chart = {
        "labels": {
            "amount": gettext("Amount (yuan)"),
            "beneficiaries": gettext("Beneficiaries"),
        },
        "byPurpose": [r.as_dict() for r in by_purpose],
        "byIndustry": [r.as_dict() for r in by_industry],
    }
    return render(
        request,
        "appeals/assistance/totals.html",
        {
            "filterset": filterset,
            "filtered": is_filtered(request.GET),
            "overall": overall,
            "by_purpose": by_purpose,
            "by_industry": by_industry,
            "by_item": by_item,
            "chart": chart,
            "query_string": query.urlencode(),
            "figure_year": _figure_year(request, filterset),
        },
    )


def _figure_year(request, filterset) -> str:
    """The fund year when the totals are a year's and nothing else (the dashboard's cards);
    other choices name no shared figure."""
    chosen = {k for k, v in request.GET.items() if v and k != "format"}
    if chosen != {"year"} or not filterset.is_valid():
        return ""
    return request.GET["year"]
