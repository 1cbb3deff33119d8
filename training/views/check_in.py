"""The session check-in page (a QR code and its rotating code, and a form for staff) and
a new code for a session."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.forms import apply_service_errors
from organizations import scoping

from .. import selectors, services
from ..choices import AttendanceChannel
from ..models import (
    Attendance,
    Session,
)
from .base import _tune


class CheckInForm(forms.Form):
    """The worker by portal id, or by source roster and id in that roster."""

    worker = forms.IntegerField(label=_("Worker id"), required=False, min_value=1)
    worker_source = forms.CharField(label=_("Source roster"), required=False, max_length=64)
    worker_external_id = forms.CharField(label=_("Id in the source"), required=False, max_length=64)

    def __init__(self, *args, user, session: Session, **kwargs):
        self.user = user
        self.session = session
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("worker") and not (
            data.get("worker_source") and data.get("worker_external_id")
        ):
            raise ValidationError(
                {"worker": _("Give the worker's id, or its source roster and id in it.")}
            )
        worker = selectors.check_in_worker(
            self.user,
            self.session.training_class,
            pk=data.get("worker"),
            source=data.get("worker_source", ""),
            external_id=data.get("worker_external_id", ""),
        )
        if worker is None:
            raise ValidationError({"worker": services.UNKNOWN_WORKER})
        data["worker_obj"] = worker
        return data


def check_in_url(request, session: Session) -> str:
    """The URL the session's QR code encodes: this page, with the code."""
    path = reverse("training:session_check_in", args=[session.pk])
    return request.build_absolute_uri(f"{path}?code={session.check_in_code}")


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG, drawn on the server (no script, no CDN)."""
    return segno.make(data, error="m").svg_inline(scale=5, dark="#1f2933", light="#ffffff")


@login_required
def session_check_in(request, pk: int):
    """The organizer's check-in page for a session: its code and check-in URL (what the QR
    code carries), a form to record a worker, and who is checked in."""
    session = get_object_or_404(
        selectors.sessions_for(request.user).select_related("training_class__organizer"), pk=pk
    )
    form = CheckInForm(request.POST or None, user=request.user, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            attendance, created = services.attendance_check_in(
                actor=request.user,
                session=session,
                worker=form.cleaned_data["worker_obj"],
                code=None,
                channel=AttendanceChannel.PORTAL,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_service_errors(form, exc)
            else:
                form.add_error(None, exc.messages)
        else:
            if created:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": attendance.worker.name}
                )
            else:
                messages.info(
                    request,
                    _("%(name)s was checked in already.") % {"name": attendance.worker.name},
                )
            return redirect("training:session_check_in", pk=session.pk)
    _tune(form)
    attendances = (
        scoping.visible(Attendance, request.user)
        .filter(session=session)
        .select_related("worker", "enrollment")
        .order_by("-checked_in_at", "-id")
    )
    url = check_in_url(request, session)
    return render(
        request,
        "training/session_check_in.html",
        {
            "session": session,
            "form": form,
            "attendances": attendances[:500],
            "check_in_url": url,
            "check_in_qr": mark_safe(qr_svg(url)),  # segno's own markup; data is our URL
            "scanned_code": request.GET.get("code", ""),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def session_new_code(request, pk: int):
    """Issue a new check-in code for a session (the old code and QR link stop working)."""
    session = get_object_or_404(selectors.sessions_for(request.user), pk=pk)
    if not request.user.has_perm("training.change_session"):
        raise Http404
    session = services.session_new_code(actor=request.user, session=session)
    messages.success(
        request, _("The new check-in code is %(code)s.") % {"code": session.check_in_code}
    )
    return redirect("training:session_check_in", pk=session.pk)
