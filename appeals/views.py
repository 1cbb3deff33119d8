"""The browser face of appeals: the board (by status and level, overdue ones highlighted with a
countdown to the due time), an appeal's page with its timeline and one plain POST form per
allowed action, the staff intake form (also for station hosts) and the inbox.

Every read goes through the scoped selectors (out of scope answers 404); every write through
the services, whose refusals come back as field errors on the form.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import pii
from core.filters import is_filtered
from core.forms import style_inputs
from core.redact import mask_in_text
from organizations import scoping
from organizations.models import Enterprise, PartyOrganization
from organizations.scoped import Column, ScopedListView

from . import selectors, services
from .choices import Channel
from .filtersets import STATE_CHOICES, AppealFilterSet
from .models import Appeal, AppealPhoto, Category, HotSpotAlert, PolicyMeasure


def _label(name: str):
    return capfirst(Appeal._meta.get_field(name).verbose_name)


BOARD_COLUMNS = (
    Column(_label("reference"), lambda a: a.reference),
    Column(_label("received_at"), lambda a: timezone.localtime(a.received_at).replace(tzinfo=None)),
    Column(_label("category"), lambda a: a.category.name),
    Column(_label("channel"), lambda a: a.get_channel_display()),
    Column(_label("urgency"), lambda a: a.get_urgency_display()),
    Column(_label("status"), lambda a: a.get_status_display()),
    Column(_label("level"), lambda a: a.get_level_display()),
    Column(
        _label("assigned_organization"),
        lambda a: a.assigned_organization.name if a.assigned_organization else "",
    ),
    Column(
        _label("due_at"),
        lambda a: timezone.localtime(a.due_at).replace(tzinfo=None) if a.due_at else None,
    ),
    Column(_("Overdue"), lambda a: a.is_overdue()),
    Column(_label("region"), lambda a: a.region.name if a.region else ""),
    Column(_label("platform"), lambda a: a.platform.name if a.platform else ""),
    Column(_label("satisfaction"), lambda a: a.satisfaction),
)


def _tune(form) -> None:
    style_inputs(form, skip=(forms.CheckboxInput, forms.RadioSelect), search_q=False)


class AppealBoardView(ScopedListView):
    """The appeal board: a status × level summary, hot spots, and the filtered list."""

    model = Appeal
    filterset_class = AppealFilterSet
    template_name = "appeals/board.html"
    export_columns = BOARD_COLUMNS
    export_filename = "appeals.xlsx"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("appeals.view_appeal"):
            return render(request, "appeals/forbidden.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        # The work first: the next due time first, those without one after them.
        return Appeal.objects.select_related(*selectors.LIST_RELATED).order_by(
            F("due_at").asc(nulls_last=True), "-received_at", "-id"
        )

    def get(self, request, *args, **kwargs):
        # With no filter chosen the board opens on the open appeals (overdue ones included).
        if not is_filtered(request.GET):
            request.GET = request.GET.copy()
            request.GET["state"] = "open"
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["filterset"] is not None:
            _tune(context["filterset"].form)
        now = timezone.now()
        context["now"] = now
        context["summary"] = selectors.board_counts(self.request.user, now)
        context["alerts"] = list(selectors.hotspot_alerts(self.request.user)[:10])
        context["filtered"] = is_filtered(self.request.GET, "state")  # the default view
        context["state"] = self.request.GET.get("state", "")
        context["state_choices"] = STATE_CHOICES
        context["rows"] = [
            (a, a.is_overdue(now), summary_line(a.description)) for a in context["object_list"]
        ]
        context["can_scan"] = selectors.may_run_escalation_scan(self.request.user)
        return context


SUMMARY_CHARS = 40


def summary_line(text: str) -> str:
    """An appeal's description as one short line for the board: the first line, cut at
    :data:`SUMMARY_CHARS` characters, ID and phone numbers masked."""
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    line = mask_in_text(line)
    return line if len(line) <= SUMMARY_CHARS else line[: SUMMARY_CHARS - 1] + "…"


board = AppealBoardView.as_view()


# --- forms ------------------------------------------------------------------------------------


class IntakeForm(forms.ModelForm):
    """The staff intake form (staff and station hosts file on a worker's behalf)."""

    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=32)

    class Meta:
        model = Appeal
        fields = [
            "channel",
            "category",
            "urgency",
            "description",
            "contact_name",
            "contact_phone",
            "anonymous",
            "industry",
            "region",
            "location",
            "enterprise",
            "enterprise_name",
            "policy_measure",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(active=True)
        self.fields["policy_measure"].queryset = PolicyMeasure.objects.filter(active=True)
        self.fields["enterprise"].queryset = scoping.restrict(
            Enterprise.objects.order_by("name"), user
        )
        self.fields["channel"].initial = Channel.STATION
        _tune(self)


SHORT = {"rows": 2}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=SHORT))


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the worker"), widget=forms.Textarea(attrs={"rows": 4})
    )


class VisitForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Satisfaction"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        help_text=_("5 very satisfied … 1 very unsatisfied; 1–3 reopen the appeal one level up."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DispatchForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Dispatch to"), queryset=PartyOrganization.objects.none()
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, appeal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = dispatch_choices(user, appeal)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Appeal.objects.none())

    def __init__(self, *args, user=None, appeal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = selectors.appeals_for(user).exclude(pk=appeal.pk)


def dispatch_choices(user, appeal: Appeal | None):
    """Where ``user`` may dispatch ``appeal`` (the selector holds the level rule)."""
    return selectors.dispatch_targets(user, appeal)


#: action → (form class, service call, success message)
ACTIONS = {
    "dispatch": (
        DispatchForm,
        lambda u, a, d: services.appeal_dispatch(
            actor=u, appeal=a, organization=d["organization"], note=d["note"]
        ),
        _("The appeal was dispatched."),
    ),
    "dispute": (
        ReasonForm,
        lambda u, a, d: services.appeal_dispute(actor=u, appeal=a, reason=d["reason"]),
        _("The appeal was disputed and goes back for dispatch."),
    ),
    "sign": (
        NoteForm,
        lambda u, a, d: services.appeal_sign(actor=u, appeal=a, note=d["note"]),
        _("You signed for the appeal."),
    ),
    "start": (
        NoteForm,
        lambda u, a, d: services.appeal_start(actor=u, appeal=a, note=d["note"]),
        _("Handling has started."),
    ),
    "extend": (
        ReasonForm,
        lambda u, a, d: services.appeal_extend(actor=u, appeal=a, reason=d["reason"]),
        _("The reply deadline was extended."),
    ),
    "reply": (
        ReplyForm,
        lambda u, a, d: services.appeal_reply(actor=u, appeal=a, reply=d["reply"]),
        _("The reply was recorded."),
    ),
    "close": (
        NoteForm,
        lambda u, a, d: services.appeal_close(actor=u, appeal=a, note=d["note"]),
        _("The appeal was closed."),
    ),
    "visit": (
        VisitForm,
        lambda u, a, d: services.appeal_visit(actor=u, appeal=a, score=d["score"], note=d["note"]),
        _("The return visit was recorded."),
    ),
    "merge": (
        MergeForm,
        lambda u, a, d: services.appeal_merge(actor=u, appeal=a, into=d["into"]),
        _("The appeal was merged as a duplicate."),
    ),
}
ACTION_TITLES = {
    "dispatch": _("Dispatch"),
    "dispute": _("Dispute (not ours)"),
    "sign": _("Sign for"),
    "start": _("Start handling"),
    "extend": _("Extend once"),
    "reply": _("Reply"),
    "close": _("Close"),
    "visit": _("Return visit"),
}


def _make_form(action: str, user, appeal, data=None):
    form_class = ACTIONS[action][0]
    kwargs = {"prefix": action}
    if form_class in (DispatchForm, MergeForm):
        kwargs.update(user=user, appeal=appeal)
    form = form_class(data, **kwargs)
    _tune(form)
    return form


def _detail(request, appeal: Appeal, bound: dict | None = None, status: int = 200):
    user = request.user
    bound = bound or {}
    can_move = user.has_perm("appeals.change_appeal")
    actions = []
    if can_move:
        for name in services.allowed_actions(appeal):
            actions.append(
                {
                    "name": name,
                    "title": ACTION_TITLES[name],
                    "form": bound.get(name) or _make_form(name, user, appeal),
                }
            )
    duplicates = []
    if (
        can_move
        and appeal.duplicate_of_id is None
        and appeal.status in (services.TRANSITIONS["merge"].sources)
    ):
        duplicates = list(selectors.duplicate_candidates(user, appeal))
    now = timezone.now()
    return render(
        request,
        "appeals/appeal_detail.html",
        {
            "appeal": appeal,
            "events": list(appeal.events.all()),
            "actions": actions,
            "duplicates": duplicates,
            "overdue": appeal.is_overdue(now),
            "now": now,
            "contact_phone": pii.display(appeal, "contact_phone"),
            "photos": list(
                scoping.restrict(AppealPhoto.objects.filter(appeal=appeal), user).only(
                    "pk", "width", "height"
                )
            ),
        },
        status=status,
    )


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
def appeal_detail(request, pk: int):
    appeal = get_object_or_404(selectors.appeal_detail_for(request.user), pk=pk)
    return _detail(request, appeal)


@login_required
@permission_required("appeals.change_appeal", raise_exception=True)
@require_POST
def appeal_act(request, pk: int, action: str):
    appeal = get_object_or_404(selectors.appeal_detail_for(request.user), pk=pk)
    if action not in ACTIONS:
        return redirect("appeals:detail", pk=appeal.pk)
    form = _make_form(action, request.user, appeal, request.POST)
    if form.is_valid():
        try:
            ACTIONS[action][1](request.user, appeal, form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, ACTIONS[action][2])
            return redirect("appeals:detail", pk=appeal.pk)
    appeal = get_object_or_404(selectors.appeal_detail_for(request.user), pk=pk)
    if action == "merge":
        messages.error(request, " ".join(form.non_field_errors() + form.errors.get("into", [])))
        return _detail(request, appeal, status=400)
    return _detail(request, appeal, bound={action: form}, status=400)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
@permission_required("appeals.add_appeal", raise_exception=True)
def intake(request):
    """File an appeal on a worker's behalf; the appeal page then offers likely duplicates."""
    form = IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            appeal = services.appeal_create(actor=request.user, data=data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _t("The appeal was filed with reference %(ref)s.") % {"ref": appeal.reference},
            )
            return redirect("appeals:detail", pk=appeal.pk)
    return render(
        request, "appeals/intake.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def inbox(request):
    if request.method == "POST":
        unread = selectors.inbox_for(request.user).filter(read_at__isnull=True)
        ids = request.POST.getlist("message")
        if ids:
            unread = unread.filter(pk__in=[i for i in ids if i.isdigit()])
        count = services.inbox_mark_read(actor=request.user, messages=unread)
        messages.success(request, _t("%(n)s messages marked read.") % {"n": count})
        return redirect("appeals:inbox")
    items = list(selectors.inbox_for(request.user)[:200])
    return render(
        request,
        "appeals/inbox.html",
        {"items": items, "unread": sum(1 for m in items if m.read_at is None)},
    )


@login_required
@permission_required("appeals.change_hotspotalert", raise_exception=True)
@require_POST
def hotspot_resolve(request, pk: int):
    alert = get_object_or_404(selectors.hotspot_alerts(request.user), pk=pk)
    services.hotspot_resolve(actor=request.user, alert=alert)
    messages.success(request, _t("The hot-spot alert was marked resolved."))
    return redirect("appeals:board")


@login_required
@require_POST
def escalation_scan(request):
    """Run the beat's escalation scan now (the same service; a second run finds nothing new)."""
    escalated = services.escalation_scan_run(actor=request.user)
    messages.success(
        request,
        ngettext(
            "The scan escalated %(n)d overdue appeal one level.",
            "The scan escalated %(n)d overdue appeals one level.",
            escalated,
        )
        % {"n": escalated},
    )
    return redirect("appeals:board")


__all__ = [
    "HotSpotAlert",
    "appeal_act",
    "appeal_detail",
    "board",
    "escalation_scan",
    "hotspot_resolve",
    "inbox",
]
