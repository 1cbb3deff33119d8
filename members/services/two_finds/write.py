"""What a run writes, set-based: proposals per chunk, then the decision and the cases in bulk.

Per chunk: the scored pairs worth keeping become :class:`MatchProposal` rows, undecided, in one
statement (``core.bulk.insert_columns`` on PostgreSQL, ``bulk_create`` elsewhere). At the end
of the run (:func:`decide_run`): every undecided pair of the run is decided at once
(``matching.decide``); only what changes is written (accepted ids, the evidence of competing
pairs; pairs that lost are deleted); for the accepted pairs the cases, their first events and
their audit rows are inserted with one statement each. No per-worker write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from django.db.models.fields.json import KT
from django.utils import timezone

from core import audit, bulk
from core.choices import AuditAction
from core.models import JobRun

from ... import matching
from ...choices import CLOSED_CASE_STATUSES, CaseOrigin, CaseStatus, MatchRule, ProposalStatus
from ...models import Case, CaseEvent, MatchProposal
from ..cases import due_after

_ACCEPTED = (ProposalStatus.AUTO_ACCEPTED, ProposalStatus.CONFIRMED)


def write_scored(
    *,
    job: JobRun,
    scored: matching.Scored,
    workers: matching.People,
    members: matching.People,
    names: matching.NameTable,
    model: matching.Model,
    accept: float,
    existing: dict[tuple[int, int], str],
) -> dict[str, int]:
    """Write a chunk's scored pairs as undecided proposals (pairs already proposed are left
    as they are); returns the chunk's counts."""
    w_pk = workers.pk[scored.worker].tolist()
    m_pk = members.pk[scored.member].tolist()
    fresh = np.array([(w, m) not in existing for w, m in zip(w_pk, m_pk, strict=True)], dtype=bool)
    keep = np.flatnonzero(fresh)
    evidence = matching.evidence_many(
        scored, keep, model=model, names=names, workers=workers, members=members, accept=accept
    )
    exact = scored.exact[keep].tolist()
    values = scored.score[keep].tolist()
    probability = model.posterior(scored.score[keep]).tolist()
    rows = keep.tolist()
    columns = {
        "worker_id": [w_pk[i] for i in rows],
        "member_id": [m_pk[i] for i in rows],
        "rule": [MatchRule.EXACT_ID if e else MatchRule.FUZZY for e in exact],
        "score": [round(v, 3) for v in values],
        "uncertainty": [matching.uncertainty(p) for p in probability],
        "evidence": evidence,
        "status": [ProposalStatus.PROPOSED] * len(rows),
        "job_id": [job.pk] * len(rows),
    }
    if bulk.supported(MatchProposal):  # one INSERT of columns, no instance per row
        bulk.insert_columns(MatchProposal, columns, ignore_conflicts=True)
    else:
        MatchProposal.objects.bulk_create(
            [
                MatchProposal(**dict(zip(columns, row, strict=True)))
                for row in zip(*columns.values(), strict=True)
            ],
            batch_size=2_000,
            ignore_conflicts=True,
        )
    counts = {k: int(v) for k, v in scored.counts.items()}
    counts.update(
        exact=int(scored.exact.sum()),
        created=len(rows),
        skipped_existing=len(scored.score) - len(rows),
    )
    return counts


def decide_run(*, job: JobRun, actor: Any, accept: float, review: float) -> dict[str, int]:
    """Decide every undecided pair of ``job`` together with the pairs still waiting from
    earlier runs, and open the cases of the accepted ones.

    Only what changes is written: an accepted pair's status (one ``UPDATE`` per batch of
    ids), the evidence of the pairs that compete for a member (their rank and rivals), and
    the pairs that lost are deleted. A pair left for review alone keeps the row its chunk
    wrote (its evidence already says rank 1, no rivals). The decision reads two levels of
    each pair's evidence in the database, not the evidence itself."""
    waiting = list(
        MatchProposal.objects.filter(status=ProposalStatus.PROPOSED)
        .annotate(
            phone_level=KT("evidence__fields__phone__level"),
            id_level=KT("evidence__fields__id_number__level"),
        )
        .values_list(
            "pk", "worker_id", "member_id", "score", "rule", "job_id", "phone_level", "id_level"
        )
    )
    links = list(
        MatchProposal.objects.filter(status__in=_ACCEPTED).values_list(
            "worker_id", "member_id", "rule"
        )
    )
    if not waiting:
        return {"auto_accepted": 0, "review": 0, "discarded": 0, "cases_opened": 0}
    pk, worker, member, score, rule, job_id, phone_level, id_level = zip(*waiting, strict=True)
    worker_a, member_a = np.array(worker, np.int64), np.array(member, np.int64)
    score_a = np.array(score, np.float64)
    exact = np.array([r == MatchRule.EXACT_ID for r in rule])
    same_phone = np.array(
        [
            phone == "agree" and id_ in ("missing", "typo")
            for phone, id_ in zip(phone_level, id_level, strict=True)
        ]
    )
    status, rank, rivals = matching.decide(
        worker_a,
        member_a,
        score_a,
        exact,
        accept=accept,
        review=review,
        linked_workers=[w for w, _m, _r in links],
        linked_members=[m for _w, m, _r in links],
        exact_workers=[w for w, _m, r in links if r == MatchRule.EXACT_ID],
        exact_members=[m for _w, m, r in links if r == MatchRule.EXACT_ID],
        same_phone=same_phone,
    )
    now = timezone.now()
    mine = np.array([j == job.pk for j in job_id])
    kept = mine & (status != matching.DISCARD)
    competing = kept & ((rank != 1) | (rivals != 0))
    discard = [pk[i] for i in np.flatnonzero(mine & (status == matching.DISCARD)).tolist()]
    simple_auto = [pk[i] for i in np.flatnonzero(kept & ~competing & (status == matching.AUTO))]
    for start in range(0, len(simple_auto), _IDS_PER_STATEMENT):
        MatchProposal.objects.filter(pk__in=simple_auto[start : start + _IDS_PER_STATEMENT]).update(
            status=ProposalStatus.AUTO_ACCEPTED, decided_at=now, updated_at=now
        )
    rows = np.flatnonzero(competing).tolist()
    evidence = dict(
        MatchProposal.objects.filter(pk__in=[pk[i] for i in rows]).values_list("pk", "evidence")
    )
    updates = []
    for i in rows:
        proposal = MatchProposal(pk=pk[i], worker_id=worker[i], member_id=member[i], job_id=job.pk)
        proposal.evidence = _with_decision(evidence[pk[i]], int(rank[i]), int(rivals[i]), accept)
        proposal.status, proposal.decided_at = ProposalStatus.PROPOSED, None
        if status[i] == matching.AUTO:
            proposal.status, proposal.decided_at = ProposalStatus.AUTO_ACCEPTED, now
        proposal.updated_at = now
        updates.append(proposal)
    bulk.update_rows(MatchProposal, updates, ["status", "decided_at", "evidence", "updated_at"])
    for start in range(0, len(discard), _IDS_PER_STATEMENT):
        MatchProposal.objects.filter(pk__in=discard[start : start + _IDS_PER_STATEMENT]).delete()
    accepted = [
        Accepted(pk[i], worker[i], member[i])
        for i in np.flatnonzero(kept & (status == matching.AUTO)).tolist()
    ]
    return {
        "auto_accepted": len(accepted),
        "review": int((kept & (status == matching.REVIEW)).sum()),
        "discarded_by_decision": len(discard),
        "cases_opened": cases_open_bulk(actor=actor, proposals=accepted),
    }


_IDS_PER_STATEMENT = 5_000


def _with_decision(evidence: dict, rank: int, rivals: int, accept: float) -> dict:
    """The evidence with the pair's rank among its member's proposals and its reasons."""
    levels = {
        name: _level_code(name, field["level"])
        for name, field in evidence.get("fields", {}).items()
    }
    out = dict(evidence)
    out["rank"], out["rivals"] = rank, rivals
    if levels:
        out["reasons"] = matching.reasons(
            levels, score=float(evidence.get("score", 0)), accept=accept, rivals=rivals
        )
    return out


def _level_code(field: str, label: str) -> int:
    labels = (
        matching.NAME_LABELS
        if field == "name"
        else matching.ID_LABELS
        if field == "id_number"
        else matching.LEVEL_LABELS
    )
    return {v: k for k, v in labels.items()}.get(label, matching.MISSING)


class Accepted(NamedTuple):
    """An accepted proposal, as much of it as opening its case needs."""

    pk: int
    worker_id: int
    member_id: int


def cases_open_bulk(*, actor: Any, proposals: Sequence[MatchProposal | Accepted]) -> int:
    """Open a DISCOVERED case (origin MATCH) for each accepted proposal whose worker and
    member have none, with its first event and audit row, in bulk. A worker's open case
    without a member (opened because the roster declared membership) takes the member and
    the proposal instead of a second case being opened. Returns how many were opened."""
    if not proposals:
        return 0
    workers = {p.worker_id for p in proposals}
    have = set(
        Case.objects.filter(worker_id__in=workers, member__isnull=False).values_list(
            "worker_id", "member_id"
        )
    )
    declared = {
        c.worker_id: c
        for c in Case.objects.filter(worker_id__in=workers, member__isnull=True).exclude(
            status__in=CLOSED_CASE_STATUSES
        )
    }
    from ...models import PartyMember, Worker

    place = dict(
        (pk, (region, industry))
        for pk, region, industry in Worker.objects.filter(pk__in=workers).values_list(
            "pk", "region_id", "industry_id"
        )
    )
    # The members the cases name, read once: an audit row's text names the case's member
    # (``str(case)``), which would otherwise read each member with its own query.
    member_of = PartyMember.objects.only("pk", "name", "member_id").in_bulk(
        {p.member_id for p in proposals}
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor.get_username() if user else str(actor or "system")
    due = due_after(CaseStatus.DISCOVERED)
    new, linked = [], []
    for p in proposals:
        if (p.worker_id, p.member_id) in have:
            continue
        case = declared.pop(p.worker_id, None)
        if case is not None:
            case.member_id, case.proposal_id = p.member_id, p.pk
            _attach_member(case, member_of)
            linked.append(case)
            continue
        region, industry = place.get(p.worker_id, (None, None))
        new.append(
            Case(
                origin=CaseOrigin.MATCH,
                worker_id=p.worker_id,
                member_id=p.member_id,
                proposal_id=p.pk,
                region_id=region,
                industry_id=industry,
                due_on=due,
            )
        )
    if linked:
        Case.objects.bulk_update(linked, ["member", "proposal"], batch_size=1_000)
        audit.record_many(
            actor=actor,
            action=AuditAction.UPDATE,
            objects=linked,
            verb="case_link",
            changes=[
                {"member": [None, c.member_id], "proposal": [None, c.proposal_id]} for c in linked
            ],
        )
    _insert_cases(new, user=user, label=label)
    # Every new case is DISCOVERED: its status text is looked up once, not once per case.
    member_text = {pk: str(member) for pk, member in member_of.items()}
    status = str(Case(status=CaseStatus.DISCOVERED).get_status_display())
    audit.record_many(
        actor=actor,
        action=AuditAction.CREATE,
        objects=new,
        verb="case_open",
        changes=_snapshots(new),
        reprs=[f"#{case.pk} {member_text[case.member_id]} · {status}" for case in new],
    )
    return len(new)


def _attach_member(case: Case, member_of: dict[int, Any]) -> None:
    member = member_of.get(case.member_id)
    if member is not None:
        case.member = member


def _insert_cases(cases: list[Case], *, user: Any, label: str) -> None:
    """Insert the new cases (setting their ids) and their first events, one statement each."""
    if not cases:
        return
    if not bulk.supported(Case):
        Case.objects.bulk_create(cases, batch_size=2_000)
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case=case,
                    from_status="",
                    to_status=CaseStatus.DISCOVERED,
                    actor=user,
                    actor_label=label,
                )
                for case in cases
            ],
            batch_size=2_000,
        )
        return
    now = timezone.now()
    for case in cases:
        case.created_at = case.updated_at = now
    columns = ("origin", "worker_id", "member_id", "proposal_id", "region_id", "industry_id")
    returned = bulk.insert_columns(
        Case,
        {
            **{name: [getattr(case, name) for case in cases] for name in columns},
            "status": [case.status for case in cases],
            "due_on": [case.due_on for case in cases],
            "created_at": [now] * len(cases),
            "updated_at": [now] * len(cases),
        },
        returning=("id", "worker", "member"),
    )
    pk_of = {(worker, member): pk for pk, worker, member in returned}
    for case in cases:
        case.pk = pk_of[(case.worker_id, case.member_id)]
        case._state.adding = False
    n = len(cases)
    bulk.insert_columns(
        CaseEvent,
        {
            "case_id": [case.pk for case in cases],
            "from_status": [""] * n,
            "to_status": [CaseStatus.DISCOVERED] * n,
            "actor_id": [user.pk if user else None] * n,
            "actor_label": [label] * n,
        },
    )


#: The fields in which the new cases of a run differ (they are built alike otherwise).
_CASE_VARYING = ("id", "worker", "member", "proposal", "region", "industry")


def _snapshots(cases: list[Case]) -> list[dict]:
    """The audit changes of new cases: the first case's snapshot, with each case's own ids."""
    if not cases:
        return []
    base = audit.diff({}, audit.snapshot(cases[0]))
    varying = [(name, "pk" if name == "id" else f"{name}_id") for name in _CASE_VARYING]
    if "created_at" in base:  # set per case by bulk_create off PostgreSQL
        varying.append(("created_at", "created_at"))
    out = []
    for case in cases:
        changes = dict(base)
        for name, attname in varying:
            value = getattr(case, attname)
            if value is None:  # as audit.diff: a field still empty is no change
                changes.pop(name, None)
            else:
                changes[name] = [None, str(value) if name == "created_at" else value]
        out.append({k: changes[k] for k in sorted(changes)})
    return out
