"""The two finds' "run now" button and its progress bar (review queue), for city-wide staff.
The runs themselves start by themselves (``members.services.two_finds.auto``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.choices import JobStatus
from core.models import JobRun
from organizations.scoping import is_city_wide

from ..services.two_finds import JOB_KIND, two_finds_queue


def can_run_now(user) -> bool:
    """Only city-wide staff start a run: it reads every roster, not only theirs."""
    return is_city_wide(user) and user.has_perm("members.change_matchproposal")


@login_required
@require_POST
def run_now(request):
    """Queue a two-finds run (or show the one already waiting or running)."""
    if not can_run_now(request.user):
        raise PermissionDenied
    job = (
        JobRun.objects.filter(kind=JOB_KIND, status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
        .order_by("-created_at")
        .first()
    ) or two_finds_queue(actor=request.user)
    if request.headers.get("HX-Request"):
        job.refresh_from_db()
        return render(request, "members/_two_finds_job.html", {"job": job})
    return redirect(reverse("members:review") + f"?job={job.pk}")


@login_required
@permission_required("members.view_matchproposal", raise_exception=True)
def job_progress(request, pk: int):
    """The progress bar of a two-finds run; it polls itself while the run goes on."""
    job = JobRun.objects.filter(pk=pk, kind=JOB_KIND).first()
    if job is None:
        raise Http404
    return render(request, "members/_two_finds_job.html", {"job": job})
