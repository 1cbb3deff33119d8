"""No face leaks a resident ID or a phone, and no face crosses a committee's scope.

For a secretary without the reveal permission and for a partner system: the admin (changelists
and change forms), every API endpoint (list and detail), every portal page and every xlsx
export carry no 18-character ID and none of the fixture people's full phones. The raw rows hold
no plaintext either. A reveal is access-logged, and refused without the permission.
"""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import PIIAccessLog
from members.choices import CaseOrigin, ClaimChannel, TransferLetterStatus
from members.models import (
    Case,
    CaseEvent,
    MatchProposal,
    MemberClaim,
    PartyMember,
    TransferLetter,
    Worker,
)
from members.services import cases as case_services
from members.services import people as svc
from tests import factories as f
from tests.base import api_client
from tests.security.raw_tables import read_raw, tables_to_read

pytestmark = pytest.mark.django_db

# An ID stands alone: 18 characters not inside a longer run of letters and digits (a hex blind
# index or a Fernet token may hold 18 digits in a row by chance).
ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])", re.IGNORECASE)


class Everything:
    """The people fixture plus one of every other record that shows a person."""

    def __init__(self, world, people):
        self.world, self.people = world, people
        self.letter = svc.letter_create(
            actor=world.staff,
            data={
                "member": people.mobile_member,
                "from_organization_name": "安徽省阜阳市某村党支部",
                "to_organization": world.branch_delivery,
            },
        )
        self.proposal = MatchProposal.objects.create(
            worker=people.worker_delivery,
            member=people.member_delivery,
            rule="exact_id",
            score=30.0,
            evidence={"id_number": "same"},
        )
        self.case = case_services.case_open(
            actor=world.staff,
            origin=CaseOrigin.MATCH,
            worker=people.worker_delivery,
            member=people.member_delivery,
            proposal=self.proposal,
        )
        self.claim = MemberClaim.objects.create(
            reference="BG-2026-000001",
            channel=ClaimChannel.PUBLIC_FORM,
            name="陈晨",
            id_number=f.resident_id_for(4242),
            phone=f.phone_for(4242),
            home_organization_name="外省某党支部",
            industry=world.delivery,
            region=world.district_a,
        )
        self.express_claim = MemberClaim.objects.create(
            reference="BG-2026-000002",
            channel=ClaimChannel.PUBLIC_FORM,
            name="褚卫",
            id_number=f.resident_id_for(4343),
            phone=f.phone_for(4343),
            home_organization_name="外省某党支部",
            industry=world.express,
            region=world.district_b,
        )
        self.express_letter = TransferLetter.objects.create(
            member=people.member_express, from_organization_name="x", to_organization_name="y"
        )

    @property
    def persons(self):
        p = self.people
        return [
            p.worker_delivery,
            p.worker_delivery_b,
            p.worker_express,
            p.member_delivery,
            p.member_express,
            p.mobile_member,
            self.claim,
            self.express_claim,
        ]

    @property
    def secrets(self) -> list[str]:
        out = []
        for person in self.persons:
            out += [person.id_number, person.phone]
        return [s for s in out if s]


@pytest.fixture
def everything(world, people) -> Everything:
    return Everything(world, people)


def assert_no_leak(text: str, everything: Everything, where: str) -> None:
    found = ID_PATTERN.search(text)
    assert found is None, (where, found and text[max(0, found.start() - 80) : found.end() + 20])
    for secret in everything.secrets:
        assert secret not in text, (where, secret)


def xlsx_text(response) -> str:
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += ["" if v is None else str(v) for v in row]
    return "\n".join(cells)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:members_{model._meta.model_name}_{view}", args=args)


# --- masking on every face ---------------------------------------------------------------------


def _admin_pages(e: Everything):
    p = e.people
    for model in (Worker, PartyMember, TransferLetter, MatchProposal, Case, MemberClaim):
        yield admin_url(model, "changelist")
    for obj in (
        p.worker_delivery,
        p.worker_delivery_b,
        p.member_delivery,
        p.mobile_member,
        e.letter,
        e.proposal,
        e.case,
        e.claim,
    ):
        yield admin_url(type(obj), "change", obj.pk)
    yield admin_url(Worker, "add")
    yield admin_url(PartyMember, "add")


def test_admin_shows_only_masked_values_to_a_secretary(client, everything):
    client.force_login(everything.world.secretary_delivery)
    seen_masked = False
    for url in _admin_pages(everything):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_no_leak(html, everything, url)
        seen_masked = seen_masked or "**********" in html
    assert seen_masked  # the masked values are there, so the scan looked at real rows
    worker = everything.people.worker_delivery
    html = client.get(admin_url(Worker, "change", worker.pk)).content.decode()
    assert f"{worker.id_number[:4]}**********{worker.id_number[-4:]}" in html
    assert "139****" in html
    # No reveal button without the permission.
    assert admin_url(Worker, "reveal", worker.pk) not in html


def _api_urls(e: Everything, user_kind: str):
    p = e.people
    if user_kind == "partner":
        return ["/api/v1/workers/", f"/api/v1/workers/{p.worker_delivery.pk}/"]
    return [
        "/api/v1/workers/",
        f"/api/v1/workers/{p.worker_delivery.pk}/",
        "/api/v1/members/",
        f"/api/v1/members/{p.mobile_member.pk}/",
        "/api/v1/transfer-letters/",
        f"/api/v1/transfer-letters/{e.letter.pk}/",
        "/api/v1/match-proposals/",
        f"/api/v1/match-proposals/{e.proposal.pk}/",
        "/api/v1/cases/",
        f"/api/v1/cases/{e.case.pk}/",
    ]


@pytest.mark.parametrize("user_kind", ["secretary_delivery", "partner"])
def test_api_answers_only_masked_values(everything, user_kind):
    client = api_client(getattr(everything.world, user_kind))
    for url in _api_urls(everything, user_kind):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        assert_no_leak(response.content.decode(), everything, url)
    body = client.get(f"/api/v1/workers/{everything.people.worker_delivery.pk}/").json()
    assert body["id_number_masked"].count("*") == 10
    assert body["phone_masked"].count("*") == 4


def _portal_pages(e: Everything, user_kind: str):
    pages = [reverse("members:worker_list"), reverse("members:member_list")]
    if user_kind != "partner":
        pages.append(reverse("members:member_detail", args=[e.people.mobile_member.pk]))
        pages.append(reverse("members:member_detail", args=[e.people.member_delivery.pk]))
    return pages


@pytest.mark.parametrize("user_kind", ["secretary_delivery"])
def test_portal_pages_and_exports_show_only_masked_values(client, everything, user_kind):
    client.force_login(getattr(everything.world, user_kind))
    for url in _portal_pages(everything, user_kind):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_leak(response.content.decode(), everything, url)
    for url in (reverse("members:worker_list"), reverse("members:member_list")):
        exported = client.get(url, {"format": "xlsx"})
        assert exported.status_code == 200
        text = xlsx_text(exported)
        assert_no_leak(text, everything, f"{url} xlsx")
    worker_export = xlsx_text(client.get(reverse("members:worker_list"), {"format": "xlsx"}))
    assert everything.people.worker_delivery.name in worker_export
    # Every export left its access-log row.
    assert PIIAccessLog.objects.filter(action="export").count() == 3


def test_partner_pages_never_show_political_status(client, everything):
    # A partner service user gets no portal page at all (its key is for the API, where
    # tests/members/test_api_people.py checks it never reads political status): its session
    # is ended and it is sent to sign in, with no worker on the way.
    for query in ({}, {"format": "xlsx"}):
        client.force_login(everything.world.partner)
        response = client.get(reverse("members:worker_list"), query, follow=True)
        assert response.redirect_chain and "_auth_user_id" not in client.session
        html = response.content.decode()
        assert everything.people.worker_delivery.name not in html
        assert "中共党员" not in html and "Full party member" not in html


def test_raw_rows_and_logs_hold_no_plaintext(everything):
    # Writes through the services too, so the audit trail has identity changes in it.
    svc.worker_update(
        actor=everything.world.staff,
        worker=everything.people.worker_express,
        data={"phone": f.phone_for(5150), "id_number": f.resident_id_for(5150)},
    )
    everything.people.worker_express.refresh_from_db()
    # Every table with a protected value and every table that may hold a copy
    # (tests/security/raw_tables.py), plus the members tables that show a person.
    extra = [m._meta.db_table for m in (TransferLetter, MatchProposal, Case, CaseEvent)]
    dump = list(read_raw([*tables_to_read(), *extra]).values())
    text = "\n".join(dump)
    assert Worker.objects.count() >= 3 and text
    assert_no_leak(text, everything, "database")
    assert f.phone_for(5150) not in text


# --- reveal ------------------------------------------------------------------------------------


def test_reveal_in_admin_writes_an_access_log_row(client, everything):
    worker = everything.people.worker_delivery
    client.force_login(everything.world.staff)
    change = client.get(admin_url(Worker, "change", worker.pk)).content.decode()
    url = admin_url(Worker, "reveal", worker.pk)
    assert url in change  # the button is there for a user who may reveal
    form = client.get(url)
    assert form.status_code == 200 and worker.id_number not in form.content.decode()
    no_reason = client.post(url, {"field": "id_number", "reason": "  "})
    assert worker.id_number not in no_reason.content.decode()
    assert not PIIAccessLog.objects.filter(action="reveal").exists()
    response = client.post(url, {"field": "id_number", "reason": "核实党员身份"})
    assert response.status_code == 200
    assert worker.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    log = PIIAccessLog.objects.get(action="reveal")
    assert log.actor == everything.world.staff
    assert log.object_id == str(worker.pk) and log.fields == ["id_number"]
    assert log.reason == "核实党员身份"


def test_reveal_without_permission_is_refused(client, everything):
    worker = everything.people.worker_delivery
    client.force_login(everything.world.secretary_delivery)
    url = admin_url(Worker, "reveal", worker.pk)
    assert client.get(url).status_code == 403
    response = client.post(url, {"field": "phone", "reason": "想看看"})
    assert response.status_code == 403
    assert worker.phone not in response.content.decode()
    assert not PIIAccessLog.objects.exists()
    # Out of scope answers 404, even for a user who may reveal within their scope.
    client.force_login(everything.world.secretary_express)
    assert client.get(url).status_code == 404


# --- scope on every face -----------------------------------------------------------------------


def test_secretary_never_sees_the_other_committees_people_in_admin(client, everything):
    p = everything.people
    client.force_login(everything.world.secretary_express)
    workers = client.get(admin_url(Worker, "changelist")).content.decode()
    assert p.worker_express.name in workers
    assert p.worker_delivery.name not in workers and p.worker_delivery_b.name not in workers
    members = client.get(admin_url(PartyMember, "changelist")).content.decode()
    assert p.member_express.name in members
    assert p.member_delivery.name not in members and p.mobile_member.name not in members
    for obj in (
        p.worker_delivery,
        p.member_delivery,
        everything.letter,
        everything.proposal,
        everything.case,
        everything.claim,
    ):
        assert client.get(admin_url(type(obj), "change", obj.pk)).status_code == 404, obj
    # Searching by the exact ID of someone outside scope finds nothing.
    found = client.get(admin_url(Worker, "changelist"), {"q": p.worker_delivery.id_number})
    assert p.worker_delivery.name not in found.content.decode()
    # List-filter choices are scoped too (platforms and organizations of the other committee).
    organizations = client.get(admin_url(PartyMember, "changelist")).content.decode()
    assert everything.world.branch_delivery.name not in organizations


def test_secretary_never_sees_the_other_committees_people_in_the_api(everything):
    p = everything.people
    client = api_client(everything.world.secretary_express)
    ids = {r["id"] for r in client.get("/api/v1/workers/").json()["results"]}
    assert ids == {p.worker_express.pk}
    ids = {r["id"] for r in client.get("/api/v1/members/").json()["results"]}
    assert ids == {p.member_express.pk}
    for url in (
        f"/api/v1/workers/{p.worker_delivery.pk}/",
        f"/api/v1/members/{p.mobile_member.pk}/",
        f"/api/v1/transfer-letters/{everything.letter.pk}/",
        f"/api/v1/match-proposals/{everything.proposal.pk}/",
        f"/api/v1/cases/{everything.case.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    found = client.post("/api/v1/workers/search/", {"id_number": p.worker_delivery.id_number})
    assert found.json()["results"] == []


def test_secretary_never_sees_the_other_committees_people_in_the_portal(client, everything):
    p, world = everything.people, everything.world
    client.force_login(world.secretary_express)
    response = client.get(reverse("members:worker_list"))
    assert {w.pk for w in response.context["object_list"]} == {p.worker_express.pk}
    enterprise_choices = {
        c for c, _ in response.context["filterset"].form.fields["enterprise"].choices
    }
    assert world.ent_delivery_a.pk not in {getattr(c, "value", c) for c in enterprise_choices}
    members = client.get(reverse("members:member_list"))
    assert {m.pk for m in members.context["object_list"]} == {p.member_express.pk}
    organizations = members.context["filterset"].form.fields["organization"].queryset
    assert world.branch_delivery not in organizations
    assert world.branch_express in organizations
    detail = client.get(reverse("members:member_detail", args=[p.member_delivery.pk]))
    assert detail.status_code == 404
    export = xlsx_text(client.get(reverse("members:worker_list"), {"format": "xlsx"}))
    assert p.worker_express.name in export and p.worker_delivery.name not in export
    export = xlsx_text(client.get(reverse("members:member_list"), {"format": "xlsx"}))
    assert p.member_express.name in export and p.mobile_member.name not in export


def test_member_detail_shows_transfer_letters(client, everything):
    client.force_login(everything.world.secretary_delivery)
    svc.letter_issue(
        actor=everything.world.staff,
        letter=everything.letter,
        valid_until=everything.letter.created_at.date(),
        issued_on=everything.letter.created_at.date(),
        letter_number="CZ-2026-077",
    )
    response = client.get(
        reverse("members:member_detail", args=[everything.people.mobile_member.pk])
    )
    html = response.content.decode()
    assert "CZ-2026-077" in html
    assert str(TransferLetterStatus.ISSUED.label) in html
    listing = client.get(reverse("members:member_list"), {"is_mobile": "true"}).content.decode()
    assert everything.people.mobile_member.name in listing
    assert everything.people.member_delivery.name not in listing


@pytest.mark.parametrize("which", ["member", "claim"])
def test_members_and_reports_can_be_revealed_too(client, everything, which):
    obj = everything.people.mobile_member if which == "member" else everything.claim
    client.force_login(everything.world.staff)
    url = admin_url(type(obj), "reveal", obj.pk)
    assert url in client.get(admin_url(type(obj), "change", obj.pk)).content.decode()
    response = client.post(url, {"field": "phone", "reason": "电话联系本人"})
    assert obj.phone in response.content.decode()
    log = PIIAccessLog.objects.get(action="reveal")
    assert (log.object_id, log.fields) == (str(obj.pk), ["phone"])
