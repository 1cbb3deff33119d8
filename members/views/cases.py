"""The case page of the two finds (``members:case_detail``): a case, its history and what comes
next, moved through ``members.services.cases``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core import pii
from core.forms import apply_service_errors
from core.pii import display

from .. import selectors
from ..choices import CaseStatus
from ..forms import CaseTransitionForm, PhoneRevealForm
from ..models import Case
from ..services.cases import TRANSITIONS, case_transition

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
    return _render(request, case, form=form, status=status)


@login_required
@permission_required("members.view_case", raise_exception=True)
@require_http_methods(["POST"])
def case_reveal_phone(request, pk: int):
    """Reveal the found person's phone in full on the case page, to call them: needs
    ``core.reveal_pii`` and a reason, and writes an access-log row (as the admin's reveal)."""
    user = request.user
    case = get_object_or_404(selectors.cases(user), pk=pk)  # 404 outside scope
    if not user.has_perm(pii.REVEAL_PERMISSION):
        raise PermissionDenied
    person = case.member or case.claim or case.worker
    form = PhoneRevealForm(request.POST)
    phone = None
    if form.is_valid() and person is not None and person.phone:
        try:
            phone = pii.reveal(
                actor=user, obj=person, field_name="phone", reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error("reason", exc.messages[0])
    allowed = TRANSITIONS.get(case.status, frozenset())
    transition_form = CaseTransitionForm(None, user=user, allowed=allowed)
    response = _render(
        request,
        case,
        form=transition_form,
        status=200 if phone else 400,
        reveal_form=form,
        revealed_phone=phone,
    )
    response["Cache-Control"] = "no-store"
    return response


def _render(request, case: Case, *, form, status: int, reveal_form=None, revealed_phone=None):
    user = request.user
    allowed = TRANSITIONS.get(case.status, frozenset())
    can_change = user.has_perm("members.change_case")
    person = case.member or case.claim or case.worker
    can_reveal = person is not None and bool(person.phone) and user.has_perm(pii.REVEAL_PERMISSION)
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
            "reveal_form": (reveal_form or PhoneRevealForm()) if can_reveal else None,
            "revealed_phone": revealed_phone,
        },
        status=status,
    )
