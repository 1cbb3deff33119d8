"""Mobile members (流动党员) in the portal: a member's activity card is issued and reviewed, and a
transfer letter issued, from the member's page; the letters page lists the letters in scope
(incoming ones too) and receives or returns an issued letter. Every write is a service of
``members.services`` (the same the admin and the API call); bad input re-renders the page with
the form's field errors and writes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from core.forms import apply_service_errors
from organizations.choices import OrganizationStatus
from organizations.models import PartyOrganization

from ..choices import TransferLetterStatus
from ..forms import (
    ActivityCardIssueForm,
    ActivityCardReviewForm,
    LetterIssueForm,
    LetterReturnForm,
)
from ..selectors import letters_for, members_for
from ..services.mobile import activity_card_issue, activity_card_review, letter_draft_and_issue
from ..services.people import letter_receive, letter_return

CARD_PERMISSION = "members.change_partymember"
ISSUE_PERMISSION = "members.add_transferletter"
CLOSE_PERMISSION = "members.change_transferletter"
#: Letters listed at most on the letters page (newest first).
MAX_LETTERS = 300


def letter_destinations():
    """Organizations a letter may be addressed to: any active one (the receiver need not be
    in the sender's scope)."""
    return PartyOrganization.objects.filter(status=OrganizationStatus.ACTIVE).order_by("path")


def member_forms(request, member, **bound: Any) -> dict[str, Any]:
    """The mobile-member forms of a member's page, for what the user may do."""
    user = request.user
    context: dict[str, Any] = {
        "can_edit_card": member.is_mobile and user.has_perm(CARD_PERMISSION),
        "can_issue_letter": user.has_perm(ISSUE_PERMISSION),
        "can_close_letter": user.has_perm(CLOSE_PERMISSION),
    }
    if context["can_edit_card"]:
        context["card_issue_form"] = bound.get("card_issue_form") or ActivityCardIssueForm()
        if member.activity_card_issued_on:
            context["card_review_form"] = bound.get("card_review_form") or ActivityCardReviewForm()
    if context["can_issue_letter"]:
        context["letter_form"] = bound.get("letter_form") or LetterIssueForm(
            organizations=letter_destinations(),
            initial={
                "from_organization_name": (
                    member.organization.name
                    if member.organization_id
                    else member.home_organization_name
                )
            },
        )
    context["return_form"] = LetterReturnForm()
    return context


def _member_page(request, member, status: int, **bound: Any):
    from core import pii

    context = {
        "member": member,
        "object": member,
        "id_number_masked": pii.display(member, "id_number"),
        "phone_masked": pii.display(member, "phone"),
        "letters": letters_for(request.user).filter(member=member),
        **member_forms(request, member, **bound),
    }
    return render(request, "members/member_detail.html", context, status=status)


def _member(request, pk: int):
    return get_object_or_404(members_for(request.user), pk=pk)


@login_required
@require_POST
def card_issue(request, pk: int):
    member = _member(request, pk)
    if not request.user.has_perm(CARD_PERMISSION):
        raise PermissionDenied
    form = ActivityCardIssueForm(request.POST)
    if form.is_valid():
        try:
            activity_card_issue(
                actor=request.user,
                member=member,
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as exc:
            apply_service_errors(
                form,
                exc,
                aliases={"activity_card_number": "number", "activity_card_issued_on": "issued_on"},
            )
        else:
            messages.success(request, gettext("The activity card is issued."))
            return redirect("members:member_detail", pk=member.pk)
    return _member_page(request, member, 400, card_issue_form=form)


@login_required
@require_POST
def card_review(request, pk: int):
    member = _member(request, pk)
    if not request.user.has_perm(CARD_PERMISSION):
        raise PermissionDenied
    form = ActivityCardReviewForm(request.POST)
    if form.is_valid():
        try:
            activity_card_review(
                actor=request.user, member=member, reviewed_on=form.cleaned_data["reviewed_on"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases={"activity_card_reviewed_on": "reviewed_on"})
        else:
            messages.success(request, gettext("The card's review is recorded."))
            return redirect("members:member_detail", pk=member.pk)
    return _member_page(request, member, 400, card_review_form=form)


@login_required
@require_POST
def letter_issue_view(request, pk: int):
    member = _member(request, pk)
    if not request.user.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied
    form = LetterIssueForm(request.POST, organizations=letter_destinations())
    if form.is_valid():
        data = {
            "member": member,
            "from_organization_name": form.cleaned_data["from_organization_name"],
            "to_organization": form.cleaned_data["to_organization"],
            "to_organization_name": form.cleaned_data["to_organization_name"],
            "letter_number": form.cleaned_data["letter_number"],
        }
        try:
            letter_draft_and_issue(
                actor=request.user, data=data, valid_until=form.cleaned_data["valid_until"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, gettext("The transfer letter is issued."))
            return redirect("members:member_detail", pk=member.pk)
    return _member_page(request, member, 400, letter_form=form)


def _back(request, letter):
    target = request.POST.get("next", "")
    if target == "letters":
        return redirect("members:letters")
    return redirect("members:member_detail", pk=letter.member_id)


@login_required
@require_POST
def letter_receive_view(request, pk: int):
    letter = get_object_or_404(letters_for(request.user), pk=pk)
    if not request.user.has_perm(CLOSE_PERMISSION):
        raise PermissionDenied
    try:
        letter_receive(actor=request.user, letter=letter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("The letter is received."))
    return _back(request, letter)


@login_required
@require_POST
def letter_return_view(request, pk: int):
    letter = get_object_or_404(letters_for(request.user), pk=pk)
    if not request.user.has_perm(CLOSE_PERMISSION):
        raise PermissionDenied
    form = LetterReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return _back(request, letter)
    try:
        letter_return(actor=request.user, letter=letter, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("The letter is returned."))
    return _back(request, letter)


@login_required
def letter_list(request):
    """Transfer letters in the user's scope, incoming and outgoing; issued ones first."""
    status = request.GET.get("status", TransferLetterStatus.ISSUED)
    letters = letters_for(request.user)
    if status in TransferLetterStatus.values:
        letters = letters.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "members/letter_list.html",
        {
            "letters": list(letters.order_by("valid_until", "-id")[:MAX_LETTERS]),
            "status": status,
            "statuses": TransferLetterStatus.choices,
            "can_close_letter": request.user.has_perm(CLOSE_PERMISSION),
            "return_form": LetterReturnForm(),
        },
    )
