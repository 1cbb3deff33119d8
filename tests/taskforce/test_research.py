"""The field research: figures computed from the records, a demand turned into an appeal on
the direct channel through the appeals' intake, attached to a measure or marked as policy
input, and bad input refused field by field with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appeals.choices import Channel, Level, Status
from appeals.models import Appeal, AppealEvent
from core.models import AuditEvent
from taskforce.choices import DemandOutcome, OutputKind
from taskforce.models import Cadre, Demand, Interview, ResearchGroup, ResearchOutput, Visit
from taskforce.research import selectors, services
from tests import factories as f
from tests.base import api_client


@pytest.fixture
def field(tf, world):
    """Two groups (3 + 2 cadres), three visits (one only planned), four interviews (one with a
    roster worker), three demands."""
    second = ResearchGroup.objects.create(campaign=tf.campaign, name="第二组")
    cadres = [Cadre.objects.create(group=tf.group, name=f"干部{i}") for i in range(3)]
    cadres += [Cadre.objects.create(group=second, name=f"干部{i}") for i in range(3, 5)]
    done = dict(planned_on=dt.date(2026, 5, 6), visited_on=dt.date(2026, 5, 6))
    v1 = Visit.objects.create(group=tf.group, target_kind="station", place="驿站一", **done)
    v2 = Visit.objects.create(group=second, target_kind="platform", place="美团站点", **done)
    Visit.objects.create(
        group=second, target_kind="enterprise", place="快递网点", planned_on=dt.date(2026, 12, 1)
    )
    worker = f.WorkerFactory(industry=world.delivery, region=world.district_a)
    i1 = Interview.objects.create(visit=v1, worker=worker, said="配送费被扣")
    i2 = Interview.objects.create(visit=v1, industry=world.delivery, age_band="25_34")
    Interview.objects.create(visit=v2, industry=world.express)
    Interview.objects.create(visit=v2)
    d1 = Demand.objects.create(
        campaign=tf.campaign, interview=i1, topic=tf.category, text="不合理扣款"
    )
    d2 = Demand.objects.create(campaign=tf.campaign, interview=i2, topic=tf.category, text="申诉难")
    other = tf.category.__class__.objects.get(code="accommodation")
    d3 = Demand.objects.create(campaign=tf.campaign, topic=other, text="没有地方休息")
    ResearchOutput.objects.create(campaign=tf.campaign, kind=OutputKind.RECORD, title="调研实录")
    return {"worker": worker, "demands": (d1, d2, d3), "cadres": cadres}


def test_figures_are_counted_from_the_records(field, tf, world):
    figures = selectors.campaign_figures(world.staff, tf.campaign)
    assert (figures.cadres, figures.groups) == (5, 2)
    assert (figures.visits_planned, figures.visits_done) == (3, 2)
    assert (figures.interviews, figures.on_roster) == (4, 1)
    assert figures.demands == 3
    assert figures.by_topic[0] == {"topic": tf.category.name, "total": 2, "open": 2}
    outputs = {k: n for k, _label, n in figures.outputs}
    assert outputs[OutputKind.RECORD] == 1 and outputs[OutputKind.POLICY] == 0


def test_a_demand_becomes_an_appeal_on_the_direct_channel(field, tf, world):
    d1 = field["demands"][0]
    Demand.objects.filter(pk=d1.pk).update(measure=tf.measure)
    d1.refresh_from_db()
    demand = services.demand_to_appeal(actor=world.staff, demand=d1)
    appeal = Appeal.objects.get(pk=demand.appeal_id)
    assert demand.outcome == DemandOutcome.APPEAL and demand.decided_at
    assert appeal.channel == Channel.IN_PERSON
    assert appeal.status == Status.RECEIVED and appeal.level == Level.WORKER
    assert appeal.category == tf.category and appeal.description == "不合理扣款"
    assert appeal.submitter == field["worker"]
    assert appeal.policy_measure == tf.measure.policy
    assert appeal.due_at is not None  # the SLA's dispatch time
    assert AppealEvent.objects.filter(appeal=appeal).count() == 1
    # Decided once: a second decision is a field error and writes nothing.
    appeals, events = Appeal.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        services.demand_to_appeal(actor=world.staff, demand=demand)
    assert "outcome" in info.value.message_dict
    assert (Appeal.objects.count(), AuditEvent.objects.count()) == (appeals, events)


def test_an_anonymous_interview_gives_an_anonymous_appeal(field, world):
    demand = services.demand_to_appeal(actor=world.staff, demand=field["demands"][1])
    appeal = demand.appeal
    assert appeal.submitter is None and appeal.anonymous
    assert appeal.industry == world.delivery


def test_attach_to_a_measure_and_policy_input(field, tf, world):
    d2, d3 = field["demands"][1], field["demands"][2]
    services.demand_attach_measure(actor=world.staff, demand=d2, measure=tf.measure)
    services.demand_mark_policy(actor=world.staff, demand=d3, policy_note="关爱十八条修订")
    d2.refresh_from_db()
    d3.refresh_from_db()
    assert (d2.outcome, d2.measure) == (DemandOutcome.MEASURE, tf.measure)
    assert (d3.outcome, d3.policy_note) == (DemandOutcome.POLICY, "关爱十八条修订")
    outcomes = {
        k: n for k, _l, n in selectors.campaign_figures(world.staff, tf.campaign).by_outcome
    }
    assert outcomes == {"open": 1, "appeal": 0, "measure": 1, "policy": 1, "answered": 0}


def test_bad_decisions_are_field_errors_and_write_nothing(field, world):
    d3 = field["demands"][2]
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        services.demand_mark_policy(actor=world.staff, demand=d3, policy_note="  ")
    assert "policy_note" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.demand_attach_measure(actor=world.staff, demand=d3, measure=None)
    assert "measure" in info.value.message_dict
    d3.refresh_from_db()
    assert d3.outcome == DemandOutcome.OPEN and AuditEvent.objects.count() == events


def test_the_api_refuses_bad_demands_field_by_field(field, tf, world):
    client = api_client(world.staff)
    before = Demand.objects.count()
    bad = client.post(
        reverse("research-demand-list"),
        {"campaign": tf.campaign.pk, "topic": "no-such-topic", "text": ""},
    )
    assert bad.status_code == 400
    assert {"topic", "text"} <= set(bad.json()["fields"])
    assert Demand.objects.count() == before
    ok = client.post(
        reverse("research-demand-list"),
        {"campaign": tf.campaign.pk, "topic": "wages", "text": "骑手保险"},
    )
    assert ok.status_code == 201, ok.content
    pk = ok.json()["id"]
    to_appeal = client.post(reverse("research-demand-to-appeal", args=[pk]))
    assert to_appeal.status_code == 200, to_appeal.content
    assert to_appeal.json()["appeal_reference"].startswith("SQ")


def test_a_member_units_staff_cannot_decide(field, tf):
    client = api_client(tf.postal_staff)
    d1 = field["demands"][0]
    response = client.post(reverse("research-demand-to-appeal", args=[d1.pk]))
    assert response.status_code in (400, 403)
    assert not Appeal.objects.exists()


def test_the_campaign_page_shows_the_figures(field, tf, client, world):
    client.force_login(world.staff)
    page = client.get(reverse("taskforce:campaign_detail", args=[tf.campaign.pk])).content.decode()
    assert 'data-figure="cadres">5<' in page and 'data-figure="interviews">4<' in page


def test_the_demand_links_its_appeal_only_for_whoever_may_open_it(field, tf, client, world):
    """The demand page showed the appeal's reference as bare text: the office could not click
    through to the appeal it had just filed. It is a link for a viewer who can open the appeal,
    and plain text for one who cannot (no link to a 404)."""
    demand = services.demand_to_appeal(actor=world.staff, demand=field["demands"][0])
    appeal_url = reverse("appeals:detail", args=[demand.appeal_id])
    page = reverse("taskforce:demand_detail", args=[demand.pk])
    for user in (world.staff, tf.postal_staff):
        client.force_login(user)
        html = client.get(page).content.decode()
        assert demand.appeal.reference in html
        opens = client.get(appeal_url).status_code == 200
        assert (f'href="{appeal_url}"' in html) == opens, user
        if user == world.staff:
            assert opens
