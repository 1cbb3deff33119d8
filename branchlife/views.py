"""The browser face of organization life: the compliance matrix (branch × month), a branch's
meeting calendar with its members' attendance over six months, a meeting's check-in roll
(its staff record members present or on leave), the dues collection rolled up
the tree and a branch's ledger (both exported to xlsx), the six-month flags and the
organizations whose term is overdue. Every page reads through ``selectors`` (scoped); an
organization outside scope answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import attachments, pii
from core.exports import xlsx_response
from core.forms import apply_service_errors
from members.models import PartyMember
from organizations.models import PartyOrganization
from organizations.scoping import visible

from . import selectors, services
from .choices import CheckInChannel, MeetingKind, ParticipationStatus
from .models import DuesMonth, Meeting

MONTHS = list(range(1, 13))


def _year(request) -> int:
    text = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(text) if text.isdigit() and 2000 <= int(text) <= this_year + 1 else this_year


def _root(request) -> PartyOrganization | None:
    text = request.GET.get("org", "")
    if not text.isdigit():
        return None
    return get_object_or_404(visible(PartyOrganization, request.user), pk=int(text))


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 5, -1))


def _state_label(state: str) -> str:
    return {
        "ok": _("held"),
        "behind": _("behind"),
        "open": _("in progress"),
        "none": "",
    }[state]


@login_required
@permission_required("branchlife.view_meeting", raise_exception=True)
def compliance(request):
    """Branch × month: how many of the meetings due by each month were held."""
    year = _year(request)
    root = _root(request)
    branches = selectors.branches_for(request.user, root=root)
    behind_only = request.GET.get("behind") == "1"
    if request.GET.get("format") == "xlsx":
        rows = selectors.compliance_matrix(request.user, year=year, branches=list(branches))
        headers = [_("Party organization"), *[f"{year}-{m:02d}" for m in MONTHS], _("Behind")]
        data = [
            [
                r.organization.name,
                *[
                    f"{c.held}/{c.required} {_state_label(c.state)}" if c.required else ""
                    for c in r.cells
                ],
                r.behind,
            ]
            for r in rows
            if r.behind or not behind_only
        ]
        pii.record_export(
            actor=request.user, model=Meeting, fields=[str(h) for h in headers], row_count=len(data)
        )
        return xlsx_response(f"compliance-{year}.xlsx", [str(h) for h in headers], data)
    page = Paginator(branches, 50).get_page(request.GET.get("page"))
    rows = selectors.compliance_matrix(request.user, year=year, branches=list(page.object_list))
    if behind_only:
        rows = [r for r in rows if r.behind]
    kinds = dict(MeetingKind.choices)
    legend = [(m, [str(kinds[k]) for k in selectors.required_kinds(m)]) for m in MONTHS]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "branchlife/compliance.html",
        {
            "year": year,
            "years": _years(),
            "root": root,
            "rows": rows,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "months": MONTHS,
            "legend": legend,
            "behind_only": behind_only,
            "query_string": query.urlencode(),
        },
    )


@login_required
@permission_required("branchlife.view_meeting", raise_exception=True)
def calendar(request, pk: int):
    """A branch's meetings of the year, month by month, and its members' attendance over the
    last six complete months (members absent without leave marked for the branch's decision)."""
    organization = get_object_or_404(visible(PartyOrganization, request.user), pk=pk)
    year = _year(request)
    today = timezone.localdate()
    meetings = list(selectors.calendar_for(request.user, organization=organization, year=year))
    by_month: dict[int, list[Meeting]] = {m: [] for m in MONTHS}
    for meeting in meetings:
        by_month[timezone.localtime(meeting.starts_at).month].append(meeting)
    members = list(selectors.attendance(request.user, organization=organization, today=today))
    flagged = set(
        selectors.absent_six_months(request.user, today=today)
        .filter(pk__in=[m.pk for m in members])
        .values_list("pk", flat=True)
    )
    start, end = selectors.window(today)
    return render(
        request,
        "branchlife/calendar.html",
        {
            "organization": organization,
            "year": year,
            "years": _years(),
            "by_month": [(m, by_month[m]) for m in MONTHS],
            "members": members,
            "flagged": flagged,
            "window_start": start,
            "window_end": end - dt.timedelta(days=1),
        },
    )


@login_required
@permission_required("branchlife.view_duesmonth", raise_exception=True)
def dues(request):
    """Dues collection per organization and month, each figure covering its subtree: the
    chosen organization (or the user's top) and the organizations right under it."""
    year = _year(request)
    root = _root(request)
    if root is None:
        root = visible(PartyOrganization, request.user).order_by("depth", "path").first()
    months = [dt.date(year, m, 1) for m in MONTHS]
    rows: list[dict[str, Any]] = []
    if root is not None:
        figures = selectors.collection_rollup(
            request.user, months=months, root=root, max_depth=root.depth + 1
        )
        by_org: dict[int, dict[int, Any]] = {}
        for figure in figures:
            by_org.setdefault(figure.organization_id, {})[figure.month.month] = figure
        orgs = (
            visible(PartyOrganization, request.user)
            .filter(pk__in=list(by_org) or [root.pk])
            .order_by("path")
        )
        for org in orgs:
            rows.append(
                {
                    "organization": org,
                    "is_root": org.pk == root.pk,
                    "cells": [by_org.get(org.pk, {}).get(m) for m in MONTHS],
                }
            )
    if request.GET.get("format") == "xlsx":
        headers = [
            _("Party organization"),
            _("Month"),
            _("Members due"),
            _("Members paid"),
            _("Standard (yuan)"),
            _("Collected (yuan)"),
        ]
        data = [
            [r["organization"].name, f"{c.month:%Y-%m}", c.due, c.paid, c.standard, c.amount]
            for r in rows
            for c in r["cells"]
            if c is not None
        ]
        pii.record_export(
            actor=request.user,
            model=DuesMonth,
            fields=[str(h) for h in headers],
            row_count=len(data),
        )
        return xlsx_response(f"dues-{year}.xlsx", [str(h) for h in headers], data)
    return render(
        request,
        "branchlife/dues.html",
        {"year": year, "years": _years(), "root": root, "rows": rows, "months": MONTHS},
    )


@login_required
@permission_required("branchlife.view_duesmonth", raise_exception=True)
def ledger(request, pk: int):
    """A branch's dues ledger for the year: each member's standard and the months paid."""
    organization = get_object_or_404(visible(PartyOrganization, request.user), pk=pk)
    year = _year(request)
    members = list(selectors.ledger(request.user, organization=organization, year=year))
    paid = selectors.months_paid_by(request.user, members=[m.pk for m in members], year=year)
    rows = [(m, [month in paid.get(m.pk, set()) for month in MONTHS]) for m in members]
    if request.GET.get("format") == "xlsx":
        headers = [
            _("Roster id"),
            _("Name"),
            _("Monthly standard"),
            *[f"{year}-{m:02d}" for m in MONTHS],
            _("Months paid"),
            _("Amount paid"),
            _("Below the standard"),
        ]
        data = [
            [
                m.member_id,
                m.name,
                m.standard,
                *[_("paid") if p else "" for p in flags],
                m.months_paid,
                m.amount_paid,
                _("yes") if m.below_standard else "",
            ]
            for m, flags in rows
        ]
        pii.record_export(
            actor=request.user,
            model=PartyMember,
            fields=[str(h) for h in headers],
            row_count=len(data),
        )
        return xlsx_response(
            f"dues-ledger-{organization.code}-{year}.xlsx", [str(h) for h in headers], data
        )
    return render(
        request,
        "branchlife/ledger.html",
        {
            "organization": organization,
            "year": year,
            "years": _years(),
            "rows": rows,
            "months": MONTHS,
        },
    )


@login_required
@permission_required("branchlife.view_meeting", raise_exception=True)
def flags(request):
    """Members due for the branch's decision under the six-month rules, and arrears."""
    today = timezone.localdate()
    start, end = selectors.window(today)
    return render(
        request,
        "branchlife/flags.html",
        {
            "absent": selectors.absent_six_months(request.user, today=today)[:500],
            "unpaid": selectors.unpaid_six_months(request.user, today=today)[:500],
            "arrears": selectors.arrears(request.user, today=today)[:200],
            "window_start": start,
            "window_end": end - dt.timedelta(days=1),
        },
    )


@login_required
@permission_required("branchlife.view_election", raise_exception=True)
def terms(request):
    """Organizations past their term end with no election recorded since (换届 overdue)."""
    today = timezone.localdate()
    return render(
        request,
        "branchlife/terms.html",
        {
            "organizations": selectors.terms_overdue(request.user, today=today)[:500],
            "elections": selectors.elections_for(request.user)[:20],
            "today": today,
        },
    )


class RollForm(forms.Form):
    """One line of a meeting's sign-in sheet: a member expected there, present or on leave."""

    member = forms.ModelChoiceField(
        label=gettext_lazy("Member"), queryset=PartyMember.objects.none()
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Record as"),
        choices=[
            (ParticipationStatus.PRESENT, gettext_lazy("Present")),
            (ParticipationStatus.LEAVE, gettext_lazy("On leave")),
        ],
        initial=ParticipationStatus.PRESENT,
        widget=forms.RadioSelect,
    )
    leave_reason = forms.CharField(
        label=gettext_lazy("Reason for leave"), required=False, max_length=200
    )

    def __init__(self, *args, roll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = roll


def _record(actor, meeting: Meeting, form: RollForm) -> None:
    """Write one line of the roll through the services; their errors land on the form."""
    member = form.cleaned_data["member"]
    try:
        if form.cleaned_data["action"] == ParticipationStatus.LEAVE:
            services.participation_leave(
                actor=actor,
                meeting=meeting,
                member=member,
                reason=form.cleaned_data["leave_reason"],
            )
            return
        services.participation_check_in(
            actor=actor, meeting=meeting, member=member, code=None, channel=CheckInChannel.PORTAL
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            form.add_error(None, exc.messages)
            return
        apply_service_errors(form, exc)


class PhotoForm(forms.Form):
    """One photo of a meeting; the services check it (type, size, count)."""

    photo = forms.FileField(
        label=gettext_lazy("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
        help_text=gettext_lazy(
            "A JPEG, PNG or WebP photo; its location and camera data are removed."
        ),
    )


def _meeting_page(request, meeting: Meeting, *, form=None, photo_form=None, status: int = 200):
    roll = selectors.meeting_roll(request.user, meeting=meeting)
    members = list(roll)
    counts = {
        status: sum(1 for m in members if m.roll_status == status)
        for status in ParticipationStatus.values
    }
    can_photo = request.user.has_perm("branchlife.add_meetingphoto")
    if photo_form is None and can_photo:
        photo_form = PhotoForm()
    return render(
        request,
        "branchlife/meeting.html",
        {
            "meeting": meeting,
            "members": members,
            "form": form,
            "photo_form": photo_form,
            "photos": list(selectors.meeting_photos_for(request.user, meeting=meeting)),
            "can_remove_photos": request.user.has_perm("branchlife.delete_meetingphoto"),
            "present": counts[ParticipationStatus.PRESENT],
            "on_leave": counts[ParticipationStatus.LEAVE],
            "statuses": dict(ParticipationStatus.choices),
            "channels": dict(CheckInChannel.choices),
        },
        status=status,
    )


@login_required
@permission_required("branchlife.view_meeting", raise_exception=True)
def meeting_roll(request, pk: int):
    """A meeting's check-in roll: the members expected there (hosted mobile members too) with
    who is present and who is on leave; the meeting's staff record either here. Its photos are
    shown below, and its staff add them."""
    meeting = get_object_or_404(selectors.meetings_for(request.user), pk=pk)
    roll = selectors.meeting_roll(request.user, meeting=meeting)
    can_record = request.user.has_perm("branchlife.add_participation")
    form = RollForm(request.POST or None, roll=roll) if can_record else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            _record(request.user, meeting, form)
        if not form.errors:
            member = form.cleaned_data["member"]
            messages.success(request, _("%(name)s is recorded.") % {"name": member.name})
            return redirect("branchlife:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, form=form)


@login_required
@permission_required("branchlife.add_meetingphoto", raise_exception=True)
def meeting_photo_add(request, pk: int):
    """Upload one photo of a meeting (POST only); a refused file shows its error on the page."""
    meeting = get_object_or_404(selectors.meetings_for(request.user), pk=pk)
    if request.method != "POST":
        return redirect("branchlife:meeting", pk=meeting.pk)
    photo_form = PhotoForm(request.POST, request.FILES)
    if photo_form.is_valid():
        try:
            services.meeting_photo_add(
                actor=request.user, meeting=meeting, upload=photo_form.cleaned_data["photo"]
            )
        except ValidationError as exc:
            apply_service_errors(photo_form, exc)
    if photo_form.errors:
        can_record = request.user.has_perm("branchlife.add_participation")
        roll = selectors.meeting_roll(request.user, meeting=meeting)
        form = RollForm(roll=roll) if can_record else None
        return _meeting_page(request, meeting, form=form, photo_form=photo_form, status=400)
    messages.success(request, _("The photo is added."))
    return redirect("branchlife:meeting", pk=meeting.pk)


@login_required
@permission_required("branchlife.view_meeting", raise_exception=True)
def meeting_photo(request, pk: int):
    """A meeting photo for staff in the meeting's scope only (404 outside it): served from the
    private storage by this view, never by a static or media URL."""
    row = get_object_or_404(selectors.meeting_photos_for(request.user), pk=pk)
    return attachments.download_response(row.file, content_type=row.content_type, inline=True)


@login_required
@permission_required("branchlife.delete_meetingphoto", raise_exception=True)
def meeting_photo_remove(request, pk: int):
    """Remove a meeting photo (POST only)."""
    row = get_object_or_404(
        selectors.meeting_photos_for(request.user).select_related("meeting"), pk=pk
    )
    if request.method != "POST":
        return redirect("branchlife:meeting", pk=row.meeting_id)
    try:
        services.meeting_photo_remove(actor=request.user, photo=row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The photo is removed."))
    return redirect("branchlife:meeting", pk=row.meeting_id)
