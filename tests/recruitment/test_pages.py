"""The portal and admin faces: scoped (404 outside), the step form's refusals as field errors,
the ledger export, and lists whose query count does not grow with their rows."""

import datetime as dt
import io
import itertools

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from recruitment.models import Candidate, Step

from .. import factories as f
from .conftest import apply, days_ago

_ids = itertools.count(500)


def _candidate(world, organization=None, **extra):
    return apply(
        world,
        actor=world.staff,
        id_n=next(_ids),
        organization=organization or world.branch_delivery,
        **extra,
    )


def _client(client, user):
    client.force_login(user)
    return client


def test_board_counts_only_what_the_secretary_sees(client, world):
    _candidate(world)
    _candidate(world)
    _candidate(world, world.branch_express)
    response = _client(client, world.secretary_delivery).get(reverse("recruitment:board"))
    assert response.status_code == 200
    assert response.context["board"].total == 2
    assert response.context["board"].totals["applicant"] == 2
    by_org = response.context["board"].breakdowns[2]
    assert [row[0] for row in by_org.rows] == [world.branch_delivery.name]


def test_candidate_pages_are_scoped(client, world):
    mine = _candidate(world)
    other = _candidate(world, world.branch_express)
    c = _client(client, world.secretary_delivery)
    listed = c.get(reverse("recruitment:candidate_list"))
    assert [obj.pk for obj in listed.context["object_list"]] == [mine.pk]
    assert c.get(reverse("recruitment:candidate_detail", args=[mine.pk])).status_code == 200
    assert c.get(reverse("recruitment:candidate_detail", args=[other.pk])).status_code == 404
    posted = c.post(
        reverse("recruitment:candidate_detail", args=[other.pk]),
        {"step": "talk", "on": days_ago(1).isoformat()},
    )
    assert posted.status_code == 404
    assert other.steps.count() == 1


def test_the_step_form_records_and_refuses_field_by_field(client, world):
    candidate = _candidate(world)
    c = _client(client, world.secretary_delivery)
    url = reverse("recruitment:candidate_detail", args=[candidate.pk])
    early = (candidate.applied_on - dt.timedelta(days=1)).isoformat()
    events = AuditEvent.objects.count()
    refused = c.post(url, {"step": "talk", "on": early})
    assert refused.status_code == 200
    assert "on" in refused.context["form"].errors
    assert candidate.steps.count() == 1 and AuditEvent.objects.count() == events
    done = c.post(url, {"step": "talk", "on": days_ago(1).isoformat()})
    assert done.status_code == 302
    assert candidate.steps.count() == 2


def test_the_ledger_of_a_branch_is_an_xlsx_of_its_candidates(client, world):
    mine = _candidate(world)
    _candidate(world, world.branch_express)
    c = _client(client, world.staff)
    response = c.get(
        reverse("recruitment:candidate_list"),
        {"organization": world.branch_delivery.code, "format": "xlsx"},
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the branch's one candidate
    assert rows[1][0] == mine.name
    assert "*" in rows[1][1]  # the ID number is masked


def test_overdue_page_lists_the_talk_not_held_within_a_month(client, world):
    late = _candidate(world, applied_on=days_ago(45))
    _candidate(world, applied_on=days_ago(10))
    response = _client(client, world.secretary_delivery).get(reverse("recruitment:overdue"))
    assert [row.candidate.pk for row in response.context["rows"]] == [late.pk]


def test_leads_are_workers_declaring_activist_not_yet_in_the_pipeline(client, world):
    from members.choices import PoliticalStatus
    from recruitment import services

    lead = f.WorkerFactory(
        industry=world.delivery,
        enterprise=world.ent_delivery_a,
        region=world.street_a,
        political_status=PoliticalStatus.ACTIVIST,
    )
    taken = f.WorkerFactory(
        industry=world.delivery,
        enterprise=world.ent_delivery_a,
        region=world.street_a,
        political_status=PoliticalStatus.ACTIVIST,
    )
    services.candidate_create(
        actor=world.staff,
        data={"worker": taken, "organization": world.branch_delivery, "applied_on": days_ago(3)},
    )
    f.WorkerFactory(industry=world.express, political_status=PoliticalStatus.ACTIVIST)
    response = _client(client, world.secretary_delivery).get(reverse("recruitment:leads"))
    assert [w.pk for w in response.context["workers"]] == [lead.pk]


def test_the_candidate_list_does_a_constant_number_of_queries(client, world):
    c = _client(client, world.secretary_delivery)
    url = reverse("recruitment:candidate_list")
    _candidate(world)
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    for _ in range(6):
        _candidate(world)
    with CaptureQueriesContext(connection) as many:
        response = c.get(url)
    assert len(response.context["object_list"]) == 7
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_board_and_overdue_do_a_constant_number_of_queries(client, world):
    c = _client(client, world.secretary_delivery)
    _candidate(world, applied_on=days_ago(50))
    for name in ("recruitment:board", "recruitment:overdue"):
        c.get(reverse(name))
        with CaptureQueriesContext(connection) as few:
            c.get(reverse(name))
        for _ in range(4):
            _candidate(world, applied_on=days_ago(50))
        with CaptureQueriesContext(connection) as many:
            c.get(reverse(name))
        assert len(many.captured_queries) == len(few.captured_queries), name


def test_admin_is_scoped_and_saves_through_the_service(client, world):
    mine = _candidate(world)
    other = _candidate(world, world.branch_express)
    c = _client(client, world.secretary_delivery)
    changelist = c.get(reverse("admin:recruitment_candidate_changelist"))
    assert changelist.status_code == 200
    assert [obj.pk for obj in changelist.context["cl"].result_list] == [mine.pk]
    assert c.get(reverse("admin:recruitment_candidate_change", args=[mine.pk])).status_code == 200
    assert c.get(reverse("admin:recruitment_candidate_change", args=[other.pk])).status_code == 404
    steps = c.get(reverse("admin:recruitment_step_changelist"))
    assert {s.candidate_id for s in steps.context["cl"].result_list} == {mine.pk}
    response = c.post(
        reverse("admin:recruitment_candidate_add"),
        {
            "name": "钱七",
            "new_id_number": f.resident_id_for(next(_ids)),
            "new_phone": "",
            "organization": world.branch_delivery.pk,
            "applied_on": days_ago(5).isoformat(),
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Candidate.objects.get(name="钱七")
    assert Step.objects.filter(candidate=created, number=1).exists()
    refused = c.post(
        reverse("admin:recruitment_candidate_add"),
        {
            "name": "孙八",
            "new_id_number": f.resident_id_for(next(_ids)),
            "organization": world.branch_express.pk,
            "applied_on": days_ago(5).isoformat(),
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert refused.status_code == 200
    assert not Candidate.objects.filter(name="孙八").exists()


def test_dashboard_shows_the_pipeline_cards(client, world):
    _candidate(world)
    response = _client(client, world.secretary_delivery).get(reverse("portal:home"))
    assert response.status_code == 200
    keys = {card.key for s in response.context["activity"] for card in s.cards}
    assert "recruitment_applicant" in keys


def test_the_board_shows_each_stage_with_its_latest_people(client, world):
    first = _candidate(world)
    _candidate(world, world.branch_express)
    response = _client(client, world.secretary_delivery).get(reverse("recruitment:board"))
    columns = {c.stage: c for c in response.context["columns"]}
    assert columns["applicant"].count == 1
    assert [c.pk for c in columns["applicant"].candidates] == [first.pk]
    assert columns["full"].count == 0 and columns["full"].candidates == []


def test_an_application_by_name_from_the_portal(client, world):
    c = _client(client, world.secretary_delivery)
    url = reverse("recruitment:candidate_new")
    data = {
        "name": "周九",
        "id_number": "320402199001011234",  # a wrong check digit
        "organization": world.branch_delivery.code,
        "applied_on": days_ago(3).isoformat(),
    }
    events = AuditEvent.objects.count()
    refused = c.post(url, data)
    assert refused.status_code == 200 and "id_number" in refused.context["form"].errors
    assert not Candidate.objects.filter(name="周九").exists()
    assert AuditEvent.objects.count() == events
    outside = c.post(
        url,
        {
            **data,
            "id_number": f.resident_id_for(next(_ids)),
            "organization": world.branch_express.code,
        },
    )
    assert "organization" in outside.context["form"].errors
    done = c.post(url, {**data, "id_number": f.resident_id_for(next(_ids))})
    assert done.status_code == 302
    candidate = Candidate.objects.get(name="周九")
    assert candidate.steps.get().code == "application"


def test_an_application_from_a_lead_and_a_lead_outside_scope(client, world):
    from members.choices import PoliticalStatus

    lead = f.WorkerFactory(
        industry=world.delivery,
        enterprise=world.ent_delivery_a,
        region=world.street_a,
        political_status=PoliticalStatus.ACTIVIST,
    )
    foreign = f.WorkerFactory(
        industry=world.express,
        enterprise=world.ent_express_a,
        region=world.district_a,
        political_status=PoliticalStatus.ACTIVIST,
    )
    c = _client(client, world.secretary_delivery)
    url = reverse("recruitment:candidate_new")
    assert c.get(url, {"worker": foreign.pk}).status_code == 404
    page = c.get(url, {"worker": lead.pk})
    assert page.context["form"]["organization"].initial == world.branch_delivery.code
    done = c.post(
        f"{url}?worker={lead.pk}",
        {"organization": world.branch_delivery.code, "applied_on": days_ago(2).isoformat()},
    )
    assert done.status_code == 302
    candidate = Candidate.objects.get(worker=lead)
    assert candidate.name == lead.name and candidate.industry == world.delivery


def test_the_steps_name_who_recorded_them_not_their_login(client, world):
    """The steps table showed the login ("zuzhibu"), English on a Chinese page."""
    world.staff.first_name = "组织部工作人员"
    world.staff.save(update_fields=["first_name"])
    candidate = _candidate(world)
    page = _client(client, world.staff).get(
        reverse("recruitment:candidate_detail", args=[candidate.pk])
    )
    html = page.content.decode()
    assert ">组织部工作人员</td>" in html
    assert f">{world.staff.username}</td>" not in html


def test_the_step_form_asks_only_what_the_next_step_needs(client, world):
    """An applicant's next step is the talk: the form asked for introducers, a class and a
    vote count too. It offers the fields of the steps that may come next, no others."""
    from recruitment import services

    candidate = _candidate(world)
    c = _client(client, world.secretary_delivery)
    url = reverse("recruitment:candidate_detail", args=[candidate.pk])
    form = c.get(url).context["form"]
    assert set(form.fields) == {"step", "on", "note"}
    assert 'name="introducers"' not in c.get(url).content.decode()
    services.step_record(
        actor=world.secretary_delivery, candidate=candidate, step="talk", on=days_ago(1)
    )
    form = c.get(url).context["form"]
    assert set(form.fields) == {"step", "on", "note", "method"}


def test_the_ledger_and_the_list_head_the_name_column_as_a_persons_name(client, world):
    """The ledger's first column read "名称" (a thing's name); a person's is "姓名"."""
    _candidate(world)
    c = _client(client, world.staff)
    url = reverse("recruitment:candidate_list")
    sheet = openpyxl.load_workbook(io.BytesIO(c.get(url, {"format": "xlsx"}).content)).active
    assert next(sheet.iter_rows(values_only=True))[0] == "姓名"
    assert c.get(url).context["headers"][0] == "姓名"
