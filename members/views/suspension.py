"""Members due for the suspension decision (停止党籍): out of contact for more than 6 months.

The organization tree's flag links here (``?organization=<pk>``); each member is one click
from the decision, taken through :func:`members.services.people.member_suspend`. The portal
lists who is due; the branch decides (the button is its record of the decision).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from organizations.models import PartyOrganization
from organizations.scoping import visible

from ..selectors import members_for, suspension_due_for
from ..services.people import member_suspend

#: Rows shown at most (a branch decides on a handful; the filter narrows a whole city).
MAX_ROWS = 500


@login_required
def suspension_due(request):
    organization = None
    raw = request.GET.get("organization", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        organization = get_object_or_404(visible(PartyOrganization, request.user), pk=int(raw))
    members = list(suspension_due_for(request.user, organization=organization)[:MAX_ROWS])
    return render(
        request,
        "members/suspension_due.html",
        {
            "organization": organization,
            "members": members,
            "can_decide": request.user.has_perm("members.change_partymember"),
            "back": request.get_full_path(),
        },
    )


@login_required
@require_POST
def member_suspend_view(request, pk: int):
    member = get_object_or_404(members_for(request.user), pk=pk)
    if not request.user.has_perm("members.change_partymember"):
        raise PermissionDenied
    try:
        member_suspend(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            gettext("The membership of %(name)s is suspended (停止党籍).") % {"name": member.name},
        )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("members:member_detail", pk=member.pk)
