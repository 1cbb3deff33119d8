"""The browser face of the pipeline: the board (people per stage, by industry, district and
organization), the candidate list and its xlsx ledger per branch, a candidate's page with
their steps and the form for the next one, the overdue list and the leads (workers who
declare themselves activists). Out-of-scope pages answer 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core import pii
from core.forms import style_inputs
from members.selectors import worker_by_reference
from organizations.scoped import Column, ScopedListView

from . import selectors, services, steps
from .choices import StepCode
from .filtersets import CandidateFilterSet
from .forms import ApplicationForm, StepForm
from .models import Candidate, Step
from .presentation import describe_details


def _label(name: str):
    return capfirst(Candidate._meta.get_field(name).verbose_name)


def _date(value) -> str:
    return value.isoformat() if value else ""


#: Steps whose dates the ledger shows (台账), one column each.
LEDGER_STEPS = (
    StepCode.TALK,
    StepCode.RECOMMENDATION,
    StepCode.TARGET_DECIDED,
    StepCode.TRAINING,
    StepCode.ADMISSION_VOTE,
    StepCode.ADMISSION_APPROVAL,
    StepCode.OATH,
    StepCode.FULL_VOTE,
    StepCode.FULL_APPROVAL,
)


def _step_on(code: str) -> Subquery:
    return Subquery(
        Step.objects.filter(candidate=OuterRef("pk"), code=code).order_by("on").values("on")[:1]
    )


def _ledger_column(code: StepCode) -> Column:
    return Column(code.label, lambda c, code=code: _date(getattr(c, f"on_{code.value}")))


needs_view = permission_required("recruitment.view_candidate", raise_exception=True)


class CandidateListView(ScopedListView):
    """The candidates in scope; ``?organization=<code>&format=xlsx`` is a branch's ledger."""

    model = Candidate
    template_name = "recruitment/candidate_list.html"
    filterset_class = CandidateFilterSet
    export_filename = "recruitment-ledger.xlsx"
    columns = (
        Column(_("Name"), lambda c: c.name),  # a person's name (姓名), not the field's 名称
        Column(_label("id_number"), lambda c: pii.display(c, "id_number")),
        Column(_label("stage"), lambda c: c.get_stage_display()),
        Column(_label("organization"), lambda c: c.organization.name),
        Column(_label("industry"), lambda c: c.industry.name if c.industry else ""),
        Column(_label("region"), lambda c: c.region.name if c.region else ""),
        Column(_label("applied_on"), lambda c: _date(c.applied_on)),
        *[_ledger_column(code) for code in LEDGER_STEPS],
        Column(
            _("Probation ends on"), lambda c: _date(c.member.probation_due if c.member else None)
        ),
    )
    #: The page shows the first columns; the ledger has them all.
    page_columns = 7

    @property
    def export_columns(self):  # type: ignore[override]
        return self.columns

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "recruitment.view_candidate"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return Candidate.objects.select_related(
            "organization", "industry", "region", "member"
        ).annotate(**{f"on_{code.value}": _step_on(code) for code in LEDGER_STEPS})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("filterset") is not None:
            style_inputs(context["filterset"].form, skip=(), date_inputs=True)
        shown = self.columns[: self.page_columns]
        context.update(
            headers=[str(c.header) for c in shown],
            rows=[(obj, [c.value(obj) for c in shown]) for obj in context["object_list"]],
        )
        return context


candidate_list = CandidateListView.as_view()


@login_required
@needs_view
def board(request):
    data = selectors.board(request.user)
    stages = [(s.value, s.label) for s in steps.STAGES]
    labels = {spec.number: spec.label for spec in steps.STEPS}
    return render(
        request,
        "recruitment/board.html",
        {
            "board": data,
            "stages": stages,
            "columns": selectors.board_columns(request.user),
            "step_labels": labels,
            "leads": selectors.leads_for(request.user).count(),
            "overdue_count": selectors.overdue_count(request.user),
        },
    )


@login_required
@needs_view
def candidate_detail(request, pk: int):
    candidate = selectors.candidate_for(request.user, pk)
    if candidate is None:
        raise Http404
    can_record = request.user.has_perm("recruitment.add_step")
    form = None
    if can_record and steps.next_steps(candidate.last_step):
        form = StepForm(request.POST or None, user=request.user, candidate=candidate)
        if request.method == "POST" and form.is_valid():
            try:
                step = services.step_record(
                    actor=request.user,
                    candidate=candidate,
                    step=form.cleaned_data["step"],
                    on=form.cleaned_data["on"],
                    note=form.cleaned_data.get("note") or "",
                    **form.details(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Recorded: %(step)s.") % {"step": step})
                return redirect("recruitment:candidate_detail", pk=candidate.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "recruitment/candidate_detail.html",
        {
            "candidate": candidate,
            "id_number": pii.display(candidate, "id_number"),
            "phone": pii.display(candidate, "phone"),
            "steps": [
                (step, describe_details(step.details))
                for step in selectors.candidate_steps(request.user, candidate)
            ],
            "form": form,
        },
    )


def _add_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields else NON_FIELD_ERRORS
        for error in errors:
            form.add_error(None if target == NON_FIELD_ERRORS else target, error)


@login_required
@permission_required("recruitment.add_candidate", raise_exception=True)
def candidate_new(request):
    """Enter an application: a lead from the roster (``?worker=<id>``) or a person by name."""
    worker = None
    worker_id = request.GET.get("worker") or request.POST.get("worker")
    if worker_id:
        worker = (
            worker_by_reference(user=request.user, pk=int(worker_id))
            if str(worker_id).isdigit()
            else None
        )
        if worker is None:
            raise Http404
    form = ApplicationForm(request.POST or None, user=request.user, worker=worker)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(actor=request.user, data=form.data_for_service())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The application is recorded."))
            return redirect("recruitment:candidate_detail", pk=candidate.pk)
    return render(request, "recruitment/candidate_new.html", {"form": form, "worker": worker})


@login_required
@needs_view
def overdue(request):
    return render(request, "recruitment/overdue.html", {"rows": selectors.overdue(request.user)})


@login_required
@needs_view
def leads(request):
    workers = selectors.leads_for(request.user)[:500]
    return render(request, "recruitment/leads.html", {"workers": workers})
