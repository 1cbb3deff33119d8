"""The review queue of the two finds: proposed matches with their evidence, confirmed or rejected
through ``members.services.review``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.models import JobRun
from core.pii import display
from core.redact import mask_in_text
from organizations.scoping import visible

from .. import selectors
from ..choices import ProposalStatus
from ..filtersets import MatchProposalFilterSet
from ..models import Case, MatchProposal
from ..services.review import proposal_confirm, proposal_reject
from ..services.two_finds import JOB_KIND
from .common import is_htmx, name_of, safe_next, tune_filter_form
from .two_finds_run import can_run_now


def _safe_text(value: Any) -> str:
    """Evidence is written by the matcher; never let a raw id or phone through to the page."""
    text = value if isinstance(value, str) else str(value)
    return mask_in_text(text)


def _format_evidence_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        return "、".join(_format_evidence_value(_evidence_label(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_format_evidence_value(v)}" for k, v in value.items())
    return _safe_text(value)


#: How the matcher's evidence keys and agreement levels read on the page; unknown ones are
#: shown as stored.
EVIDENCE_KEYS = {
    "level": _("agreement"),
    "worker": _("worker"),
    "member": _("party member"),
    "char_ratio": _("same characters (%)"),
    "pinyin_ratio": _("same sound (%)"),
    "score": _("score"),
    "blocks": _("found through"),
}
EVIDENCE_VALUES = {
    "missing": _("not given"),
    "agree": _("same"),
    "differ": _("different"),
    "close": _("close (one digit or day and month swapped)"),
    "exact": _("same characters"),
    "homophone": _("same sound, other characters"),
    "alike": _("one character sounds or looks alike"),
    "typo": _("one digit changed or two swapped (a typing slip)"),
    "similar": _("similar"),
    "partial": _("partly the same"),
    "different": _("different"),
    "id": _("ID number"),
    "phone": _("phone"),
    "birth_surname": _("birth date and surname"),
    "birth_district": _("birth date and district"),
    "pinyin_district": _("name sound and district"),
}


#: Why a proposal waits for a person (``members.matching.REASONS``), in words.
REASON_LABELS = {
    "id_differ": _("two different valid ID numbers"),
    "id_typo": _("the ID numbers differ by a typing slip"),
    "id_missing": _("no ID number on one side"),
    "name_homophone": _("the names sound the same but are written differently"),
    "name_alike": _("one character of the name sounds or looks alike"),
    "name_similar": _("the names are only similar"),
    "name_partial": _("the names are partly the same"),
    "name_different": _("the names differ"),
    "phone_differ": _("different phone numbers"),
    "phone_missing": _("no phone on one side"),
    "birth_close": _("the birth dates differ by one digit"),
    "birth_differ": _("different birth dates"),
    "birth_missing": _("no birth date to compare"),
    "district_moved": _("works in another district"),
    "competing": _("other proposals name the same member"),
    "below_accept": _("the evidence is not strong enough to accept by itself"),
}


def _evidence_label(value: Any) -> str:
    return str(EVIDENCE_VALUES.get(value, value)) if isinstance(value, str) else value


@dataclass
class EvidenceItem:
    key: str
    value: str


@dataclass
class CompareRow:
    label: str
    worker: str
    member: str
    evidence: list[EvidenceItem] = field(default_factory=list)
    weight: str = ""

    @property
    def same(self) -> bool:
        return bool(self.worker) and self.worker == self.member


def _evidence_items(raw: Any) -> tuple[list[EvidenceItem], str]:
    if isinstance(raw, dict):
        weight = raw.get("weight")
        items = [
            EvidenceItem(
                str(EVIDENCE_KEYS.get(k, k)),
                _format_evidence_value(_evidence_label(v) if k == "level" else v),
            )
            for k, v in raw.items()
            if k != "weight"
        ]
        return items, (_format_evidence_value(weight) if weight is not None else "")
    return [EvidenceItem("", _format_evidence_value(raw))], ""


#: (label, value of a person, evidence keys the matcher may use for it)
_COMPARED = (
    (pgettext_lazy("person", "Name"), lambda p: p.name, ("name", "name_chars")),
    (_("Pinyin"), lambda p: p.name_pinyin, ("name_pinyin", "pinyin")),
    (_("ID number"), lambda p: display(p, "id_number"), ("id_number", "id")),
    (_("Phone"), lambda p: display(p, "phone"), ("phone",)),
    (
        _("Birth date"),
        lambda p: p.birth_date.isoformat() if p.birth_date else "",
        ("birth_date", "birth"),
    ),
    (_("Gender"), lambda p: p.get_gender_display() if p.gender else "", ("gender",)),
    (_("Region"), lambda p: name_of(p.region), ("region", "district")),
    (_("Industry"), lambda p: name_of(p.industry), ("industry",)),
)


def compare_rows(proposal: MatchProposal) -> tuple[list[CompareRow], list[CompareRow]]:
    """The worker and the member side by side with the matcher's per-field evidence, and the
    evidence about fields that are not compared here. Works with whatever dict of
    field → details the matcher stored (``{"fields": {...}}`` or the fields at the top)."""
    evidence = proposal.evidence if isinstance(proposal.evidence, dict) else {}
    per_field = evidence.get("fields") if isinstance(evidence.get("fields"), dict) else evidence
    used: set[str] = set()
    rows = []
    for label, value, keys in _COMPARED:
        row = CompareRow(str(label), value(proposal.worker), value(proposal.member))
        for key in keys:
            if key in per_field:
                row.evidence, row.weight = _evidence_items(per_field[key])
                used.add(key)
                break
        rows.append(row)
    extra = []
    for key, raw in per_field.items():
        if key in used or (per_field is evidence and key == "fields"):
            continue
        items, weight = _evidence_items(raw)
        extra.append(CompareRow(_safe_text(key), "", "", items, weight))
    return rows, extra


@dataclass
class ProposalCard:
    proposal: MatchProposal
    rows: list[CompareRow]
    extra: list[CompareRow]
    reasons: list[str] = field(default_factory=list)
    rank: int = 1
    rivals: int = 0
    probability: float | None = None

    @property
    def competing(self) -> int:
        return self.rivals + 1


def _card(proposal: MatchProposal) -> ProposalCard:
    rows, extra = compare_rows(proposal)
    evidence = proposal.evidence if isinstance(proposal.evidence, dict) else {}
    reasons = [str(REASON_LABELS.get(code, code)) for code in evidence.get("reasons", []) if code]
    probability = evidence.get("probability")
    return ProposalCard(
        proposal,
        rows,
        [r for r in extra if r.label not in _NOT_FIELDS],
        reasons,
        int(evidence.get("rank", 1) or 1),
        int(evidence.get("rivals", 0) or 0),
        float(probability) if isinstance(probability, int | float) else None,
    )


#: Keys of the evidence that are not fields (shown in the card's header instead).
_NOT_FIELDS = frozenset({"probability", "uncertainty", "reasons", "rank", "rivals", "model"})


@login_required
@permission_required("members.view_matchproposal", raise_exception=True)
def review_queue(request):
    """Proposals waiting for review, the most uncertain first (a member's competing proposals
    together), 20 a page; filter by rule, score, industry and region."""
    queryset = selectors.proposals_for_review(request.user)
    filterset = MatchProposalFilterSet(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound:
        queryset = filterset.qs if filterset.is_valid() else queryset.none()
    form = filterset.form
    del form.fields["status"]  # the queue holds the proposals waiting for review only
    tune_filter_form(form)
    paginator = Paginator(queryset, 20)
    page = paginator.get_page(request.GET.get("page"))
    status = selectors.two_finds_status(request.user)
    job = None
    if request.GET.get("job", "").isdigit():
        job = JobRun.objects.filter(pk=int(request.GET["job"]), kind=JOB_KIND).first()
    return render(
        request,
        "members/review_queue.html",
        {
            "two_finds": status,
            "can_run_now": can_run_now(request.user),
            "job": job or status["current"],
            "filterset": filterset,
            "filter_fields": list(form),
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "page_obj": page,
            "cards": [_card(p) for p in page.object_list],
            "can_decide": request.user.has_perm("members.change_matchproposal"),
            "default_reject_note": gettext("Not the same person."),
        },
    )


@login_required
@permission_required("members.change_matchproposal", raise_exception=True)
@require_POST
def proposal_decide(request, pk: int, decision: str):
    """Confirm or reject one proposal. With htmx the answer is the row's new content; without
    JavaScript, a redirect back to the queue with a message."""
    proposal = get_object_or_404(visible(MatchProposal, request.user), pk=pk)
    error = ""
    note = request.POST.get("note", "")
    try:
        if decision == "confirm":
            proposal_confirm(actor=request.user, proposal=proposal, note=note)
        else:
            proposal_reject(actor=request.user, proposal=proposal, note=note)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    proposal = (
        MatchProposal.objects.select_related("worker", "member", "decided_by")
        .filter(pk=proposal.pk)
        .first()
    )
    case = Case.objects.filter(proposal=proposal).first()
    if is_htmx(request):
        return render(
            request,
            "members/_proposal_result.html",
            {"proposal": proposal, "case": case, "error": error},
        )
    if error:
        messages.error(request, error)
    elif proposal.status == ProposalStatus.CONFIRMED:
        messages.success(
            request,
            gettext("Confirmed: %(worker)s is %(member)s; case #%(case)s follows them.")
            % {"worker": proposal.worker.name, "member": proposal.member.name, "case": case.pk},
        )
    else:
        messages.success(
            request,
            gettext("Rejected: %(worker)s is not %(member)s. This pair will not be proposed again.")
            % {"worker": proposal.worker.name, "member": proposal.member.name},
        )
    return HttpResponseRedirect(safe_next(request, reverse("members:review")))
