"""The public self-report form of the two finds (党员找组织, no login): ``members:report``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.doorforms import HONEYPOT_FIELD
from core.forms import apply_service_errors

from .. import throttle
from ..choices import ClaimChannel
from ..forms import REPORT_NOTICE_VERSION, ClaimForm
from ..services.claims import claim_submit, new_reference, validate_claim
from ..services.retention import RETENTION_YEARS
from .common import SESSION_REFERENCE


@require_http_methods(["GET", "POST"])
def report(request):
    """The public self-report form (no login): rate-limited per client, with a honeypot."""
    channel = ClaimChannel.STATION_QR if request.GET.get("via") == "station" else None
    channel = channel or ClaimChannel.PUBLIC_FORM
    if request.method == "GET":
        return render(request, "members/report.html", _context(ClaimForm()))
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
            claim = claim_submit(
                channel=channel, data=form.service_data(), notice_version=REPORT_NOTICE_VERSION
            )
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
    return render(request, "members/report.html", _context(form), status=400)


def _context(form) -> dict:
    return {"form": form, "retention_years": RETENTION_YEARS}


def report_done(request):
    """The reference number, once, and nothing of what was submitted."""
    reference = request.session.pop(SESSION_REFERENCE, None)
    if not reference:
        return redirect("members:report")
    return render(request, "members/report_done.html", {"reference": reference})
