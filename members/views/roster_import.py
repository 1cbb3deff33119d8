"""Door 2 of the roster intake: upload an xlsx or CSV roster, preview, confirm.

The same flow serves the portal page (``members:import``) and the admin's import view
(``members.admin``): parse the file (django-import-export's formats, see
:mod:`members.intake_files`), dry-run the intake service in a rolled-back transaction, show
the counts, every rejected row and a preview of the first rows with masked identity values,
then on confirmation run the service for real. The writes only ever go through
``roster_upsert`` / ``member_roster_upsert`` of :mod:`members.services.intake`.

The upload is held in memory only (no temporary file on disk). Between preview and confirm the
file travels in the session encrypted with :func:`core.pii.encrypt` (the session store never
sees it in clear) and is removed from the session on confirmation.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from core import pii

from ..choices import WorkerSourceKind
from ..intake_files import RosterFileError, read_roster
from ..services.intake import (
    MEMBER_COLUMNS,
    WORKER_COLUMNS,
    IntakeReport,
    cell,
    member_roster_upsert,
    roster_upsert,
)

WORKERS, MEMBERS = "workers", "members"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PREVIEW_ROWS = 100
SHOWN_ERRORS = 500
_SESSION_KEY = "members_roster_import"

#: roster kind → (columns, permissions needed to import it)
ROSTERS = {
    WORKERS: (WORKER_COLUMNS, ("members.add_worker", "members.change_worker")),
    MEMBERS: (MEMBER_COLUMNS, ("members.add_partymember", "members.change_partymember")),
}


class InMemoryUploadHandler(MemoryFileUploadHandler):
    """Keeps every upload in memory, whatever its size (up to ``MAX_UPLOAD_BYTES``), so that
    no roster is ever written to a temporary file on disk."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_UPLOAD_BYTES:
            self.request._roster_too_large = True
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)


class RosterUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Roster"),
        choices=[(WORKERS, _("Workers")), (MEMBERS, _("Party members"))],
        widget=forms.RadioSelect,
        initial=WORKERS,
    )
    source = forms.SlugField(
        label=_("Source name"),
        max_length=64,
        required=False,
        help_text=_(
            "Workers only: the roster's name, e.g. meituan. Re-importing a source updates it."
        ),
    )
    source_kind = forms.ChoiceField(
        label=_("Kind of source"),
        choices=WorkerSourceKind.choices,
        initial=WorkerSourceKind.IMPORT,
        required=False,
    )
    file = forms.FileField(
        label=_("File (xlsx or CSV)"),
        help_text=_("The first row names the columns; CSV files are UTF-8."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
            self.fields["kind"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("kind") == WORKERS and not data.get("source"):
            self.add_error("source", _("Name the source of a worker roster."))
        if data.get("kind") == WORKERS and not data.get("source_kind"):
            data["source_kind"] = WorkerSourceKind.IMPORT
        return data


@dataclass
class PreviewRow:
    row: int
    key: str
    action: str
    name: str
    id_number: str  # masked
    phone: str  # masked
    details: list[tuple[str, str]]  # (column, cell)


def _preview_rows(kind: str, rows, report: IntakeReport) -> list[PreviewRow]:
    actions = {row: action for row, _key, action in report.row_actions}
    labels = {"created": _("New"), "updated": _("Changed"), "unchanged": _("Unchanged")}
    out = []
    for number, row in rows:
        if number not in actions:
            continue
        if kind == WORKERS:
            key = cell(row, "external_id")
            details = [(c, cell(row, c)) for c in ("industry", "region_code", "political_status")]
        else:
            key = cell(row, "member_id")
            details = [(c, cell(row, c)) for c in ("status", "organization_code", "mobile")]
        out.append(
            PreviewRow(
                row=number,
                key=key,
                action=str(labels[actions[number]]),
                name=cell(row, "name"),
                id_number=pii.mask(cell(row, "id_number"), pii.RESIDENT_ID),
                phone=pii.mask(cell(row, "phone"), pii.PHONE),
                details=details,
            )
        )
        if len(out) >= PREVIEW_ROWS:
            break
    return out


def _run(request, plan: dict[str, Any], content: bytes, *, dry_run: bool):
    columns = ROSTERS[plan["kind"]][0]
    roster = read_roster(content, plan["filename"], columns)
    rows = [row for _n, row in roster.rows]
    numbers = [n for n, _row in roster.rows]
    if plan["kind"] == WORKERS:
        report = roster_upsert(
            actor=request.user,
            source=plan["source"],
            source_kind=plan["source_kind"],
            rows=rows,
            row_numbers=numbers,
            dry_run=dry_run,
        )
    else:
        report = member_roster_upsert(
            actor=request.user, rows=rows, row_numbers=numbers, dry_run=dry_run
        )
    return roster, report


def _allowed_kinds(user, only: str | None) -> list[str]:
    kinds = [only] if only else list(ROSTERS)
    return [k for k in kinds if user.has_perms(ROSTERS[k][1])]


def roster_import_flow(
    request, *, template: str, context: dict[str, Any] | None = None, only: str | None = None
):
    """Upload → preview → confirm, rendered with ``template`` (portal or admin)."""
    kinds = _allowed_kinds(request.user, only)
    if not kinds:
        raise PermissionDenied
    context = dict(context or {})
    stage = "upload"
    form = RosterUploadForm(kinds=kinds)
    report = roster = plan = None
    if request.method == "POST" and request.POST.get("confirm"):
        stored = request.session.get(_SESSION_KEY, {})
        plan = stored.get(request.POST["confirm"])
        if plan is None or plan["kind"] not in kinds:
            context["flow_error"] = _("This preview has expired; upload the file again.")
        else:
            content = base64.b64decode(pii.decrypt(plan["content"]))
            try:
                roster, report = _run(request, plan, content, dry_run=False)
                stage = "done"
            except (RosterFileError, ValidationError) as exc:
                context["flow_error"] = str(getattr(exc, "messages", [exc])[0])
            stored.pop(request.POST["confirm"], None)
            request.session[_SESSION_KEY] = stored
    elif request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES, kinds=kinds)
        if getattr(request, "_roster_too_large", False):
            form.add_error("file", _("The file is larger than 5 MB; split it."))
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            plan = {
                "kind": form.cleaned_data["kind"],
                "source": form.cleaned_data.get("source") or "",
                "source_kind": form.cleaned_data.get("source_kind") or WorkerSourceKind.IMPORT,
                "filename": upload.name,
            }
            try:
                roster, report = _run(request, plan, content, dry_run=True)
            except (RosterFileError, ValidationError) as exc:
                form.add_error("file", str(getattr(exc, "messages", [exc])[0]))
            else:
                stage = "preview"
                token = secrets.token_urlsafe(16)
                # Only the latest preview is kept: one encrypted file per session at most.
                plan["content"] = pii.encrypt(base64.b64encode(content).decode("ascii"))
                request.session[_SESSION_KEY] = {token: plan}
                context["token"] = token
    if report is not None:
        context.update(
            report=report,
            errors=report.errors[:SHOWN_ERRORS],
            more_errors=max(0, len(report.errors) - SHOWN_ERRORS),
            preview=_preview_rows(plan["kind"], roster.rows, report) if stage == "preview" else [],
            ignored_columns=roster.ignored_columns,
            plan={k: v for k, v in plan.items() if k != "content"},
            key_label="external_id" if plan["kind"] == WORKERS else "member_id",
            detail_headers=(
                ("industry", "region_code", "political_status")
                if plan["kind"] == WORKERS
                else ("status", "organization_code", "mobile")
            ),
        )
    context.update(
        form=form,
        stage=stage,
        columns={k: ",".join(ROSTERS[k][0]) for k in kinds},
    )
    return render(request, template, context)


@csrf_exempt
def roster_import(request):
    """The portal page ``members/import/``."""
    # Upload handlers must be replaced before anything reads the body (CSRF is checked after).
    request.upload_handlers = [InMemoryUploadHandler(request)]
    return _roster_import(request)


@csrf_protect
@login_required
def _roster_import(request):
    if not request.user.has_perm("members.add_worker"):
        raise PermissionDenied
    return roster_import_flow(request, template="members/roster_import.html")
