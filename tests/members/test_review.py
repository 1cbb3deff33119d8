"""The review queue: one-click decisions (htmx and plain POST), remembered rejections, scope."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from members.choices import CaseOrigin, CaseStatus, ProposalStatus
from members.models import Case, MatchProposal
from members.services import cases, review
from tests import factories as f

from .two_finds_data import proposal

pytestmark = pytest.mark.django_db
REVIEW_URL = reverse("members:review")
ID_PATTERN = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def pair(world, people):
    """A delivery worker proposed as the mobile member hosted by the delivery branch."""
    return proposal(people.worker_delivery, people.mobile_member, score=9.1)


@pytest.fixture
def express_pair(world, people):
    return proposal(people.worker_express, people.member_express, score=7.0)


def test_confirm_opens_a_case_and_advances_it(world, pair):
    case = review.proposal_confirm(actor=world.secretary_delivery, proposal=pair)
    pair.refresh_from_db()
    assert pair.status == ProposalStatus.CONFIRMED
    assert pair.decided_by == world.secretary_delivery and pair.decided_at is not None
    assert case.proposal == pair and case.origin == CaseOrigin.MATCH
    assert (case.worker, case.member) == (pair.worker, pair.member)
    assert case.status == CaseStatus.VERIFYING
    assert list(case.events.values_list("to_status", flat=True)) == [
        CaseStatus.DISCOVERED,
        CaseStatus.VERIFYING,
    ]
    assert AuditEvent.objects.filter(verb="proposal_confirmed", object_id=str(pair.pk)).exists()


def test_confirm_takes_over_the_workers_open_case_without_member(world, people, pair):
    declared = cases.case_open(
        actor=world.staff, origin=CaseOrigin.DECLARED, worker=people.worker_delivery
    )
    case = review.proposal_confirm(actor=world.staff, proposal=pair)
    assert case.pk == declared.pk
    assert case.member == people.mobile_member and case.proposal == pair
    assert Case.objects.filter(worker=people.worker_delivery).count() == 1


def test_reject_is_remembered_and_closes_a_case_opened_from_it(world, people, pair):
    case = cases.case_open(
        actor=world.staff,
        origin=CaseOrigin.MATCH,
        worker=pair.worker,
        member=pair.member,
        proposal=pair,
    )
    review.proposal_reject(actor=world.secretary_delivery, proposal=pair, note="")
    pair.refresh_from_db()
    case.refresh_from_db()
    assert pair.status == ProposalStatus.REJECTED
    assert case.status == CaseStatus.REJECTED and case.closed_at is not None
    assert case.events.last().note  # the default note "not the same person"
    # The row stays: the pair cannot be proposed again (one row per pair, ever).
    with pytest.raises(Exception):  # noqa: B017 (IntegrityError; backend-specific class)
        from django.db import transaction

        with transaction.atomic():
            proposal(pair.worker, pair.member)
    assert MatchProposal.objects.get(pk=pair.pk).status == ProposalStatus.REJECTED


@pytest.mark.parametrize("decide", ["confirm", "reject"])
def test_only_a_proposal_waiting_for_review_can_be_decided(world, pair, decide):
    review.proposal_reject(actor=world.staff, proposal=pair, note="不是同一人")
    with pytest.raises(ValidationError) as caught:
        if decide == "confirm":
            review.proposal_confirm(actor=world.staff, proposal=pair)
        else:
            review.proposal_reject(actor=world.staff, proposal=pair, note="again")
    assert "status" in caught.value.message_dict
    assert not Case.objects.filter(proposal=pair).exists()


def test_a_proposal_outside_scope_cannot_be_decided(world, pair):
    with pytest.raises(ValidationError):
        review.proposal_confirm(actor=world.secretary_express, proposal=pair)
    pair.refresh_from_db()
    assert pair.status == ProposalStatus.PROPOSED and not Case.objects.exists()


# --- the page ----------------------------------------------------------------------------------


def test_queue_shows_evidence_side_by_side_masked_and_by_score(client, world, people, pair):
    other = proposal(people.worker_delivery_b, people.mobile_member, score=12.5)
    decided = proposal(
        people.worker_delivery, people.member_delivery, status=ProposalStatus.REJECTED
    )
    client.force_login(world.staff)
    response = client.get(REVIEW_URL)
    assert response.status_code == 200
    listed = [card.proposal.pk for card in response.context["cards"]]
    assert listed == [other.pk, pair.pk]  # score desc; the decided one is gone
    assert decided.pk not in listed
    html = response.content.decode()
    assert not ID_PATTERN.search(html)
    worker = people.worker_delivery
    assert worker.id_number[:4] + "**********" + worker.id_number[-4:] in html
    assert worker.phone not in html
    assert "3.20" in html and "same_district" in html  # per-field weights and levels
    assert 'data-action="confirm"' in html and "<button" in html


def test_evidence_of_any_shape_renders(client, world, people):
    proposal(people.worker_delivery, people.mobile_member, evidence={"id": 12.0, "odd": [1, 2]})
    proposal(people.worker_delivery_b, people.mobile_member, evidence={})
    client.force_login(world.staff)
    response = client.get(REVIEW_URL)
    assert response.status_code == 200
    assert "12.00" in response.content.decode()


def test_confirm_with_htmx_replaces_the_row(client, world, pair):
    client.force_login(world.secretary_delivery)
    response = client.post(
        reverse("members:proposal_confirm", args=[pair.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="proposal-{pair.pk}"' in html and "<html" not in html
    case = Case.objects.get(proposal=pair)
    assert reverse("members:case_detail", args=[case.pk]) in html
    assert MatchProposal.objects.get(pk=pair.pk).status == ProposalStatus.CONFIRMED


def test_reject_with_a_plain_post_redirects_back(client, world, pair):
    client.force_login(world.secretary_delivery)
    url = reverse("members:proposal_reject", args=[pair.pk])
    response = client.post(url, {"note": "出生日期不同", "next": REVIEW_URL + "?page=1"})
    assert response.status_code == 302 and response["Location"] == REVIEW_URL + "?page=1"
    pair.refresh_from_db()
    assert pair.status == ProposalStatus.REJECTED
    # Deciding twice: refused, shown as an error, nothing changes.
    again = client.post(reverse("members:proposal_confirm", args=[pair.pk]), follow=True)
    assert MatchProposal.objects.get(pk=pair.pk).status == ProposalStatus.REJECTED
    assert not Case.objects.filter(proposal=pair).exists()
    assert any(m.level_tag == "error" for m in again.context["messages"])
    # An off-site "next" is ignored.
    pair2 = proposal(pair.worker, f.PartyMemberFactory(organization=world.branch_delivery))
    off = client.post(
        reverse("members:proposal_reject", args=[pair2.pk]), {"next": "https://evil.example/"}
    )
    assert off["Location"] == REVIEW_URL


def test_secretaries_see_and_decide_only_their_own_proposals(client, world, pair, express_pair):
    client.force_login(world.secretary_express)
    response = client.get(REVIEW_URL)
    assert [c.proposal.pk for c in response.context["cards"]] == [express_pair.pk]
    assert pair.worker.name not in response.content.decode()
    hidden = client.post(reverse("members:proposal_confirm", args=[pair.pk]))
    assert hidden.status_code == 404
    assert MatchProposal.objects.get(pk=pair.pk).status == ProposalStatus.PROPOSED


def test_a_partner_cannot_open_the_queue(client, world, pair):
    # A partner service user's session is ended on any page (organizations.login): sent to sign in.
    client.force_login(world.partner)
    assert client.get(REVIEW_URL).status_code == 302
    client.force_login(world.partner)
    assert client.post(reverse("members:proposal_confirm", args=[pair.pk])).status_code == 302
    assert MatchProposal.objects.get(pk=pair.pk).status == ProposalStatus.PROPOSED


def test_queue_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            worker = f.WorkerFactory(industry=world.delivery, region=world.street_a)
            member = f.PartyMemberFactory(organization=world.branch_delivery, region=world.city)
            proposal(worker, member)

    client.force_login(world.staff)
    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(REVIEW_URL).status_code == 200
    add(15)
    with django_assert_max_num_queries(len(few)):
        response = client.get(REVIEW_URL)
    assert len(response.context["cards"]) == 17


def test_queue_filters(client, world, people, pair):
    low = proposal(people.worker_delivery_b, people.member_delivery, score=2.0)
    client.force_login(world.staff)
    strong = client.get(REVIEW_URL, {"min_score": "5"})
    assert [c.proposal.pk for c in strong.context["cards"]] == [pair.pk]
    district_b = client.get(REVIEW_URL, {"region": world.district_b.code})
    assert [c.proposal.pk for c in district_b.context["cards"]] == [low.pk]


def test_an_htmx_decision_on_a_decided_proposal_shows_the_error_in_the_row(client, world, pair):
    review.proposal_reject(actor=world.staff, proposal=pair, note="否")
    client.force_login(world.staff)
    response = client.post(
        reverse("members:proposal_confirm", args=[pair.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and 'data-status="rejected"' in html
    assert MatchProposal.objects.get(pk=pair.pk).status == ProposalStatus.REJECTED


def test_queue_puts_the_most_uncertain_first_with_its_reasons_in_chinese(client, world, people):
    sure = proposal(people.worker_express, people.member_express, score=30.0, uncertainty=0.05)
    evidence = {
        "fields": {"name": {"level": "alike", "weight": 7.6}},
        "reasons": ["id_missing", "name_alike", "competing"],
        "rank": 1,
        "rivals": 1,
        "probability": 0.55,
    }
    doubtful = proposal(
        people.worker_delivery, people.mobile_member, score=21.0, uncertainty=0.99,
        evidence=evidence,
    )  # fmt: skip
    rival = proposal(
        people.worker_delivery_b, people.mobile_member, score=20.5, uncertainty=0.4,
        evidence={**evidence, "rank": 2},
    )  # fmt: skip
    client.force_login(world.staff)
    response = client.get(REVIEW_URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    listed = [card.proposal.pk for card in response.context["cards"]]
    # The most uncertain first, and a member's competing proposals together.
    assert listed == [doubtful.pk, rival.pk, sure.pk]
    html = response.content.decode()
    assert "一侧没有身份证号" in html  # "no ID number on one side", in Chinese
    assert "姓名中有一个字音近或形近" in html
    assert "该党员的第 1 条（共 2 条）提议" in html


def test_the_matchers_district_evidence_reads_as_the_region_row(client, world, people):
    """The matcher stores its district agreement under ``district``: it is the region row's
    evidence, never a row of its own labelled in English."""
    evidence = {"fields": {"district": {"level": "agree", "weight": 0.8}}}
    proposal(people.worker_delivery, people.mobile_member, evidence=evidence)
    client.force_login(world.staff)
    response = client.get(REVIEW_URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    card = response.context["cards"][0]
    assert card.extra == []
    region = next(row for row in card.rows if row.label == "区域")
    assert region.weight == "0.80" and [i.value for i in region.evidence] == ["一致"]
    assert ">district<" not in response.content.decode()
