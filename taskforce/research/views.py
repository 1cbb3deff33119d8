"""The browser face of the field research: the campaigns, a campaign's figures (cadres,
groups, visits, workers interviewed, demands by topic and outcome, outputs) and its outputs
register, and the demands with what became of them (the office decides: an appeal, a measure,
a policy input). The demands export to xlsx (access-logged)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from appeals import selectors as appeals_selectors
from core import attachments
from core.forms import apply_service_errors, style_inputs
from organizations.scoped import Column, ScopedListView

from ..common import office_may
from ..forms import OutputForm
from ..measures.selectors import measures_for
from ..views import remove_and_return
from . import selectors, services
from .filtersets import DemandFilterSet
from .models import Demand


@login_required
def campaign_list(request):
    return render(
        request,
        "taskforce/campaign_list.html",
        {"campaigns": selectors.campaigns_for(request.user)},
    )


@login_required
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    may_attach = office_may(request.user, "taskforce.add_researchoutput")
    form = OutputForm(request.POST or None, request.FILES or None) if may_attach else None
    if request.method == "POST":
        if not may_attach:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.output_attach(
                    actor=request.user,
                    campaign=campaign,
                    kind=data["kind"],
                    title=data["title"],
                    issued_on=data["issued_on"],
                    note=data["note"],
                    upload=data["file"] or None,
                    link=data["link"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, gettext("The output was registered."))
                return redirect("taskforce:campaign_detail", pk=campaign.pk)
    if form is not None:
        style_inputs(form, date_inputs=True)
    return render(
        request,
        "taskforce/campaign_detail.html",
        {
            "campaign": campaign,
            "figures": selectors.campaign_figures(request.user, campaign),
            "outputs": selectors.outputs_for(request.user).filter(campaign=campaign),
            "may_remove": office_may(request.user, "taskforce.delete_researchoutput"),
            "form": form,
        },
    )


@login_required
@require_POST
def output_delete(request, pk: int):
    """Remove a research output and its file (to replace a file: remove, then register)."""
    output = get_object_or_404(selectors.outputs_for(request.user), pk=pk)
    return remove_and_return(
        request,
        permission="taskforce.delete_researchoutput",
        remove=lambda actor: services.output_delete(actor=actor, output=output),
        done=gettext("The output was removed."),
        back=redirect("taskforce:campaign_detail", pk=output.campaign_id),
    )


@login_required
def output_file(request, pk: int):
    """An output's file, for whoever may see its campaign (404 otherwise)."""
    output = get_object_or_404(selectors.outputs_for(request.user), pk=pk)
    return attachments.download_response(
        output.file, filename=output.file_name, content_type=output.content_type
    )


DEMAND_COLUMNS = (
    Column(_("Campaign"), lambda d: d.campaign.name),
    Column(_("Topic"), lambda d: d.topic.name),
    Column(_("Demand"), lambda d: d.text),
    Column(_("Outcome"), lambda d: d.get_outcome_display()),
    Column(_("Appeal"), lambda d: d.appeal.reference if d.appeal_id else ""),
    Column(_("Measure"), lambda d: str(d.measure.policy) if d.measure_id else ""),
    Column(_("Policy it informs"), lambda d: d.policy_note),
)


class DecisionForm(forms.Form):
    ACTIONS = (
        ("appeal", _("Turn into an appeal")),
        ("measure", _("Attach to a measure")),
        ("policy", _("Mark as policy input")),
    )
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS)
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=None, required=False)
    policy_note = forms.CharField(label=_("Policy it informs"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures_for(user)


class DemandListView(ScopedListView):
    model = Demand
    filterset_class = DemandFilterSet
    template_name = "taskforce/demand_list.html"
    context_object_name = "demands"
    export_columns = DEMAND_COLUMNS
    export_filename = "research-demands.xlsx"

    def base_queryset(self):
        return Demand.objects.select_related(
            "campaign", "topic", "appeal", "measure__policy"
        ).order_by("campaign", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        style_inputs(context["filterset"].form)
        context["may_decide"] = office_may(self.request.user, "taskforce.change_demand")
        return context


demand_list = DemandListView.as_view()


@login_required
def demand_detail(request, pk: int):
    demand = get_object_or_404(selectors.demands_for(request.user), pk=pk)
    may_decide = office_may(request.user, "taskforce.change_demand")
    form = DecisionForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                if action == "appeal":
                    services.demand_to_appeal(actor=request.user, demand=demand)
                elif action == "measure":
                    services.demand_attach_measure(
                        actor=request.user, demand=demand, measure=form.cleaned_data["measure"]
                    )
                else:
                    services.demand_mark_policy(
                        actor=request.user,
                        demand=demand,
                        policy_note=form.cleaned_data["policy_note"],
                    )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, gettext("The decision was recorded."))
                return redirect("taskforce:demand_detail", pk=demand.pk)
    style_inputs(form)
    return render(
        request,
        "taskforce/demand_detail.html",
        {
            "demand": demand,
            "form": form,
            "may_decide": may_decide and demand.outcome == "open",
            # A link to the appeal only for a viewer who can open it (no link to a 404).
            "appeal_opens": bool(demand.appeal_id)
            and request.user.has_perm("appeals.view_appeal")
            and appeals_selectors.appeals_for(request.user).filter(pk=demand.appeal_id).exists(),
        },
    )
