"""Writes of the field research, kept by the task force office: the campaign, its groups,
cadres, visits, interviews, demands and outputs; and what becomes of a demand (an appeal on
the direct channel, a measure, an input to a policy)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import services as appeals_services
from appeals.choices import Channel
from core import writes

from ..choices import DemandOutcome
from ..common import (
    check,
    create_with_file,
    delete_with_files,
    require_office,
    require_visible,
    split,
)
from ..measures.models import Measure
from .models import Cadre, Campaign, Demand, Interview, ResearchGroup, ResearchOutput, Visit


def _m2m_crud(model, entity: str, names: tuple[str, ...]):
    def create_(*, actor: Any, data: dict[str, Any]):
        require_office(actor)
        fields, related = split(data, names)
        return writes.create(actor=actor, model=model, data=fields, related=related, check=check)

    def update_(*, actor: Any, data: dict[str, Any], **target):
        require_office(actor)
        fields, related = split(data, names)
        return writes.update(
            actor=actor, instance=target[entity], data=fields, related=related, check=check
        )

    def delete_(*, actor: Any, **target):
        require_office(actor)
        writes.delete(actor=actor, instance=target[entity], check=check)

    for verb, func in (("create", create_), ("update", update_), ("delete", delete_)):
        func.__name__ = func.__qualname__ = f"{entity}_{verb}"
    return create_, update_, delete_


campaign_create, campaign_update, campaign_delete = _m2m_crud(Campaign, "campaign", ("units",))
group_create, group_update, group_delete = writes.crud(
    ResearchGroup, "group", guard=require_office, check=check
)
cadre_create, cadre_update, cadre_delete = writes.crud(
    Cadre, "cadre", guard=require_office, check=check
)
visit_create, visit_update, visit_delete = _m2m_crud(Visit, "visit", ("cadres",))
interview_create, interview_update, interview_delete = _m2m_crud(
    Interview, "interview", ("topics",)
)
# (deletion: output_delete below, which also removes the stored file)
output_create, output_update, _generic_delete = writes.crud(
    ResearchOutput, "output", guard=require_office, check=check
)


def output_delete(*, actor: Any, output: ResearchOutput) -> None:
    """Remove a research output and its file (to replace a file: remove it, attach the new
    one)."""
    require_office(actor)
    require_visible(actor, output, "output")
    delete_with_files(actor=actor, instance=output, files=[output.file], verb="output_delete")


def output_attach(
    *,
    actor: Any,
    campaign: Campaign,
    kind: str,
    title: str,
    issued_on: dt.date | None = None,
    note: str = "",
    upload: Any = None,
    link: str = "",
) -> ResearchOutput:
    """An output of a campaign (records, measures proposed, compilation, collected demands, the
    policy document) with its uploaded file (checked by its bytes, stored privately) or a
    link."""
    require_office(actor)
    require_visible(actor, campaign, "campaign")
    return create_with_file(
        actor=actor,
        model=ResearchOutput,
        data={
            "campaign": campaign,
            "kind": kind,
            "title": title,
            "issued_on": issued_on,
            "note": note,
            "link": link,
        },
        upload=upload,
        upload_to="taskforce/outputs/",
    )


def demand_create(*, actor: Any, data: dict[str, Any]) -> Demand:
    """A demand; one taken in an interview belongs to that interview's campaign."""
    require_office(actor)
    fields = dict(data)
    for name in ("appeal", "decided_at"):
        fields.pop(name, None)
    interview = fields.get("interview")
    campaign = fields.get("campaign")
    if interview is not None:
        interview_campaign = interview.visit.group.campaign
        if campaign is not None and campaign.pk != interview_campaign.pk:
            raise ValidationError({"interview": _("This interview belongs to another campaign.")})
        fields["campaign"] = interview_campaign
    fields["outcome"] = DemandOutcome.OPEN
    return writes.create(actor=actor, model=Demand, data=fields, check=check)


def demand_update(*, actor: Any, demand: Demand, data: dict[str, Any]) -> Demand:
    """Change a demand's text or topic; what became of it changes through the decisions."""
    require_office(actor)
    fields = {k: v for k, v in data.items() if k in ("text", "topic", "interview")}
    return writes.update(actor=actor, instance=demand, data=fields, check=check)


def demand_delete(*, actor: Any, demand: Demand) -> None:
    require_office(actor)
    if demand.appeal_id:
        raise ValidationError(_("This demand became an appeal; it is kept."))
    writes.delete(actor=actor, instance=demand, check=check)


def _lock_open(actor: Any, demand: Demand) -> Demand:
    demand = (
        Demand.objects.select_for_update(of=("self",))
        .select_related("interview__worker", "interview__industry", "measure__policy", "topic")
        .get(pk=demand.pk)
    )
    require_visible(actor, demand, "demand")
    if demand.outcome != DemandOutcome.OPEN:
        raise ValidationError(
            {
                "outcome": _("This demand was already decided: %(what)s.")
                % {"what": demand.get_outcome_display()}
            }
        )
    return demand


def demand_to_appeal(
    *, actor: Any, demand: Demand, now: dt.datetime | None = None, urgency: str = "normal"
) -> Demand:
    """Turn a demand into an appeal on the direct channel (received in person, through the
    appeals' intake service: reference, SLA and hot spots as for any appeal). The interviewed
    worker is the submitter when on the roster; the demand's measure is cited."""
    require_office(actor)
    at = now or timezone.now()
    with transaction.atomic():
        demand = _lock_open(actor, demand)
        interview = demand.interview
        data: dict[str, Any] = {
            "category": demand.topic,
            "description": demand.text,
            "urgency": urgency,
        }
        if interview is not None and interview.worker_id:
            data["submitter"] = interview.worker
        else:
            data["contact_name"] = _("Research interview")
            data["anonymous"] = True
        if interview is not None and interview.industry_id and "submitter" not in data:
            data["industry"] = interview.industry
        if demand.measure_id:
            data["policy_measure"] = demand.measure.policy
        appeal = appeals_services.appeal_create(
            actor=actor, data=data, channel=Channel.IN_PERSON, now=at
        )
        return writes.update(
            actor=actor,
            instance=demand,
            data={"outcome": DemandOutcome.APPEAL, "appeal": appeal, "decided_at": at},
            check=check,
            verb="to appeal",
        )


def demand_attach_measure(*, actor: Any, demand: Demand, measure: Measure | None) -> Demand:
    """Attach a demand to one of the 18 measures (it then counts on the measure's page)."""
    require_office(actor)
    if not isinstance(measure, Measure):
        raise ValidationError({"measure": _("Choose a measure.")})
    with transaction.atomic():
        demand = _lock_open(actor, demand)
        return writes.update(
            actor=actor,
            instance=demand,
            data={
                "outcome": DemandOutcome.MEASURE,
                "measure": measure,
                "decided_at": timezone.now(),
            },
            check=check,
            verb="attach to measure",
        )


def demand_mark_policy(*, actor: Any, demand: Demand, policy_note: str) -> Demand:
    """Mark a demand as input to a policy (named in ``policy_note``)."""
    require_office(actor)
    if not (policy_note or "").strip():
        raise ValidationError({"policy_note": _("Name the policy this demand informs.")})
    with transaction.atomic():
        demand = _lock_open(actor, demand)
        return writes.update(
            actor=actor,
            instance=demand,
            data={
                "outcome": DemandOutcome.POLICY,
                "policy_note": policy_note.strip(),
                "decided_at": timezone.now(),
            },
            check=check,
            verb="policy input",
        )
