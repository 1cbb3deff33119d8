"""The browser face of the task force: the board of tasks by unit and status (with the list
of tasks, filterable and exported to xlsx), a task with its reports and the report form, and
the meetings with their decisions, tasks and documents. Scoped like every face: a record
outside the user's scope answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import attachments
from core.forms import apply_service_errors, style_inputs
from organizations.scoped import Column, ScopedListView

from . import selectors, services
from .choices import TaskStatus
from .common import office_may
from .filtersets import MeetingFilterSet, TaskFilterSet
from .forms import DocumentForm, MeetingForm, TaskForm, TaskReportForm
from .models import Meeting, Task

TASK_COLUMNS = (
    Column(_("Title"), lambda t: t.title),
    Column(_("Responsible unit"), lambda t: str(t.unit)),
    Column(_("Meeting"), lambda t: str(t.decision.meeting) if t.decision_id else ""),
    Column(_("Due on"), lambda t: t.due_on),
    Column(_("Status"), lambda t: t.get_status_display()),
    Column(_("Progress (%)"), lambda t: t.progress),
    Column(_("Completed on"), lambda t: t.completed_on),
    Column(_("Escalated at"), lambda t: t.escalated_at),
)


class BoardView(ScopedListView):
    """Tasks by unit and status, then the tasks themselves."""

    model = Task
    filterset_class = TaskFilterSet
    template_name = "taskforce/board.html"
    context_object_name = "tasks"
    export_columns = TASK_COLUMNS
    export_filename = "taskforce-tasks.xlsx"

    def base_queryset(self):
        return selectors.with_overdue(
            Task.objects.select_related("unit", "decision__meeting").order_by("due_on", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        style_inputs(context["filterset"].form, date_inputs=True)
        context["board"] = selectors.task_board(self.request.user)
        context["statuses"] = TaskStatus.choices
        context["may_assign"] = office_may(self.request.user, "taskforce.add_task")
        return context


board = BoardView.as_view()


@login_required
def task_new(request):
    """The office assigns a task to a member unit from the portal."""
    if not office_may(request.user, "taskforce.add_task"):
        raise PermissionDenied
    form = TaskForm(request.POST or None, units=selectors.unit_departments(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, gettext("The task was assigned."))
            return redirect("taskforce:task_detail", pk=task.pk)
    style_inputs(form, date_inputs=True)
    return render(request, "taskforce/task_new.html", {"form": form})


@login_required
def task_detail(request, pk: int):
    task = get_object_or_404(selectors.tasks_for(request.user), pk=pk)
    form = TaskReportForm(request.POST or None)
    can_report = request.user.has_perm("taskforce.add_taskreport") and task.is_open
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.task_report(actor=request.user, task=task, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, gettext("The report was saved."))
                return redirect("taskforce:task_detail", pk=task.pk)
    style_inputs(form, date_inputs=True)
    reports = selectors.task_reports_for(request.user).filter(task=task)
    return render(
        request,
        "taskforce/task_detail.html",
        {"task": task, "reports": reports, "form": form, "can_report": can_report},
    )


class MeetingListView(ScopedListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    template_name = "taskforce/meeting_list.html"
    context_object_name = "meetings"
    export_columns = (
        Column(_("Held on"), lambda m: m.held_on),
        Column(_("Kind"), lambda m: m.get_kind_display()),
        Column(_("Title"), lambda m: m.title),
        Column(_("Attending units"), lambda m: "、".join(str(u) for u in m.attending_units.all())),
        Column(_("Chaired by"), lambda m: m.chaired_by),
    )
    export_filename = "taskforce-meetings.xlsx"

    def base_queryset(self):
        return Meeting.objects.prefetch_related("attending_units").order_by("-held_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        style_inputs(context["filterset"].form)
        context["may_record"] = office_may(self.request.user, "taskforce.add_meeting")
        return context


meeting_list = MeetingListView.as_view()


@login_required
def meeting_new(request):
    """The office records a meeting (kind, date, place, attending units, minutes) from the
    portal."""
    if not office_may(request.user, "taskforce.add_meeting"):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, units=selectors.unit_departments(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, gettext("The meeting was recorded."))
            return redirect("taskforce:meeting_detail", pk=meeting.pk)
    style_inputs(form, date_inputs=True)
    return render(request, "taskforce/meeting_new.html", {"form": form})


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(selectors.meetings_for(request.user), pk=pk)
    may_attach = office_may(request.user, "taskforce.add_meetingdocument")
    form = DocumentForm(request.POST or None, request.FILES or None) if may_attach else None
    if request.method == "POST":
        if not may_attach:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.document_attach(
                    actor=request.user,
                    meeting=meeting,
                    title=data["title"],
                    upload=data["file"] or None,
                    link=data["link"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, gettext("The document was added."))
                return redirect("taskforce:meeting_detail", pk=meeting.pk)
    if form is not None:
        style_inputs(form)
    return render(
        request,
        "taskforce/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": selectors.decisions_for(request.user).filter(meeting=meeting),
            "tasks": selectors.tasks_for(request.user).filter(decision__meeting=meeting),
            "documents": selectors.documents_for(request.user).filter(meeting=meeting),
            "may_remove": office_may(request.user, "taskforce.delete_meetingdocument"),
            "form": form,
        },
    )


def remove_and_return(request, *, permission: str, remove, done: str, back):
    """The "remove" button of a document-like record: the office (a city-wide user with
    ``permission``) removes it through ``remove(actor=...)``, others get 403; then back to
    ``back`` with ``done`` or the refusal as a message."""
    if not office_may(request.user, permission):
        raise PermissionDenied
    try:
        remove(actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return back


@login_required
@require_POST
def document_delete(request, pk: int):
    """Remove a meeting document and its file (to replace a file: remove, then attach)."""
    doc = get_object_or_404(selectors.documents_for(request.user), pk=pk)
    return remove_and_return(
        request,
        permission="taskforce.delete_meetingdocument",
        remove=lambda actor: services.document_delete(actor=actor, document=doc),
        done=gettext("The document was removed."),
        back=redirect("taskforce:meeting_detail", pk=doc.meeting_id),
    )


@login_required
def document_file(request, pk: int):
    """A meeting document's file, for whoever may see the meeting (404 otherwise)."""
    doc = get_object_or_404(selectors.documents_for(request.user), pk=pk)
    return attachments.download_response(
        doc.file, filename=doc.file_name, content_type=doc.content_type
    )
