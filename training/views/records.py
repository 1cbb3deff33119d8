"""Learning records: what a worker or a party member attended, completed and learned."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render

from members.selectors import can_see_political_status

from .. import selectors


@login_required
def worker_record(request, pk: int):
    try:
        person, record = selectors.worker_record(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(
        request,
        "training/record.html",
        {
            "person": person,
            "record": record,
            "is_member": False,
            "show_lessons": can_see_political_status(request.user),
        },
    )


@login_required
def member_record(request, pk: int):
    try:
        person, record = selectors.member_record(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(
        request,
        "training/record.html",
        {"person": person, "record": record, "is_member": True, "show_lessons": True},
    )
