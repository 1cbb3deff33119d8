"""The members REST API: scope, masked identity, writes through services, filters, actions."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditEvent
from members.choices import MemberStatus, PoliticalStatus, TransferLetterStatus
from members.models import Case, MatchProposal, PartyMember, TransferLetter, Worker
from tests import factories as f
from tests.base import APICRUDSuite, APIReadOnlySuite, api_client, assert_error_format, ids_of

pytestmark = pytest.mark.django_db

WORKERS = "/api/v1/workers/"
MEMBERS = "/api/v1/members/"
LETTERS = "/api/v1/transfer-letters/"


def delivery_worker(world, **extra):
    return f.WorkerFactory(industry=world.delivery, region=world.district_a, **extra)


def express_worker(world, **extra):
    return f.WorkerFactory(industry=world.express, region=world.district_b, **extra)


def letter_for(member, **extra):
    return TransferLetter.objects.create(
        member=member,
        from_organization_name="外省某支部",
        to_organization_name="本市某支部",
        **extra,
    )


# --- the shared suites -----------------------------------------------------------------------


class TestWorkersAPI(APICRUDSuite):
    basename = "worker"
    user = "secretary_delivery"
    bad_fields = ("id_number", "phone", "industry", "enterprise")

    def make_visible(self, world):
        return delivery_worker(world)

    def make_invisible(self, world):
        return express_worker(world)

    def create_payload(self, world):
        return {
            "source": "meituan",
            "external_id": "MT-9001",
            "name": "周杰",
            "id_number": f.resident_id_for(9001),
            "phone": f.phone_for(9001),
            "industry": world.delivery.code,
            "region": world.district_b.code,
            "enterprise": world.ent_delivery_b.pk,
            "political_status": PoliticalStatus.LEAGUE,
        }

    def update_payload(self, world):
        return {"name": "周杰伦", "active": False}

    def bad_payload(self, world):
        return {
            "source": "meituan",
            "external_id": "MT-BAD",
            "name": "坏数据",
            "id_number": "110105194912310021",  # wrong check digit
            "phone": "12",
            "industry": "no-such-industry",
            "enterprise": world.ent_express_a.pk,  # outside the secretary's scope
        }


class TestMembersAPI(APICRUDSuite):
    basename = "member"
    user = "secretary_delivery"
    bad_fields = ("organization", "status", "id_number")

    def make_visible(self, world):
        return f.PartyMemberFactory(organization=world.branch_delivery)

    def make_invisible(self, world):
        return f.PartyMemberFactory(organization=world.branch_express)

    def create_payload(self, world):
        return {
            "member_id": "M-NEW-1",
            "name": "吴刚",
            "id_number": f.resident_id_for(70001),
            "phone": f.phone_for(70001),
            "status": MemberStatus.PROBATIONARY,
            "joined_on": "2026-03-01",
            "organization": world.branch_delivery.pk,
        }

    def update_payload(self, world):
        return {"lost_contact_since": "2026-01-15", "home_organization_name": "原单位党支部"}

    def bad_payload(self, world):
        return {
            "member_id": "M-BAD",
            "name": "坏数据",
            "id_number": "11010519491231002",
            "status": "honorary",
            "organization": world.branch_express.pk,
        }


class TestTransferLettersAPI(APICRUDSuite):
    basename = "transfer-letter"
    user = "secretary_delivery"
    bad_fields = ("member",)

    def make_visible(self, world):
        return letter_for(f.PartyMemberFactory(organization=world.branch_delivery))

    def make_invisible(self, world):
        return letter_for(f.PartyMemberFactory(organization=world.branch_express))

    def create_payload(self, world):
        member = f.PartyMemberFactory(organization=world.branch_delivery)
        return {
            "member": member.pk,
            "from_organization_name": "外卖联合党支部",
            "to_organization_name": "安徽省阜阳市某村党支部",
        }

    def update_payload(self, world):
        return {"note": "本人申请转回原籍", "letter_number": "CZ-2026-018"}

    def bad_payload(self, world):
        member = f.PartyMemberFactory(organization=world.branch_express)
        return {"member": member.pk, "from_organization_name": "x", "to_organization_name": "y"}


class TestMatchProposalsAPI(APIReadOnlySuite):
    basename = "match-proposal"
    user = "secretary_delivery"

    def make_visible(self, world):
        return MatchProposal.objects.create(
            worker=delivery_worker(world),
            member=f.PartyMemberFactory(organization=world.branch_delivery),
            rule="exact_id",
            score=30.0,
        )

    def make_invisible(self, world):
        return MatchProposal.objects.create(
            worker=express_worker(world),
            member=f.PartyMemberFactory(organization=world.branch_express),
            rule="fuzzy",
            score=12.5,
        )


class TestCasesAPI(APIReadOnlySuite):
    basename = "case"
    user = "secretary_delivery"

    def make_visible(self, world):
        worker = delivery_worker(world)
        return Case.objects.create(
            origin="declared", worker=worker, region=worker.region, industry=worker.industry
        )

    def make_invisible(self, world):
        worker = express_worker(world)
        return Case.objects.create(
            origin="declared", worker=worker, region=worker.region, industry=worker.industry
        )


# --- identity in and out ---------------------------------------------------------------------


def test_ids_and_phones_go_in_write_only_and_come_out_masked(world):
    client = api_client(world.staff)
    created = client.post(
        WORKERS,
        {
            "source": "survey",
            "external_id": "S-1",
            "name": "郑爽",
            "id_number": "130503670401001",  # a legacy 15-digit number
            "phone": "+86 139-0000-1234",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert "id_number" not in body and "phone" not in body
    assert body["id_number_masked"] == "1305**********0016"
    assert body["phone_masked"] == "139****1234"
    assert (body["birth_date"], body["gender"]) == ("1967-04-01", "male")
    worker = Worker.objects.get(pk=body["id"])
    assert worker.id_number == "130503196704010016" and worker.phone == "13900001234"
    # Derived fields cannot be written.
    client.patch(f"{WORKERS}{worker.pk}/", {"birth_date": "2000-01-01", "gender": "female"})
    worker.refresh_from_db()
    assert worker.birth_date == dt.date(1967, 4, 1)


def test_exact_id_and_phone_search_uses_the_blind_index_and_a_post_body(world, people):
    client = api_client(world.staff)
    target = people.worker_express
    search = f"{WORKERS}search/"
    assert ids_of(client.post(search, {"id_number": target.id_number.lower()})) == {target.pk}
    assert ids_of(client.post(search, {"phone": target.phone})) == {target.pk}
    both = {"id_number": target.id_number, "phone": people.worker_delivery.phone}
    assert ids_of(client.post(search, both)) == set()
    assert ids_of(client.post(search, {"id_number": f.resident_id_for(123456)})) == set()
    member = people.member_express
    found = client.post(f"{MEMBERS}search/", {"id_number": member.id_number})
    assert ids_of(found) == {member.pk}
    assert "fields" in assert_error_format(client.post(search, {}), 400, "invalid")


def test_search_is_scoped(world, people):
    client = api_client(world.secretary_delivery)
    search = f"{WORKERS}search/"
    assert ids_of(client.post(search, {"phone": people.worker_express.phone})) == set()
    assert ids_of(client.post(search, {"phone": people.worker_delivery.phone})) == {
        people.worker_delivery.pk
    }


def test_protected_values_in_the_query_string_are_refused(world, people):
    """A value in a URL lands in access logs: the list answers 400 and points to the search."""
    client = api_client(world.staff)
    for url in (WORKERS, MEMBERS):
        for name, value in (
            ("id_number", people.worker_express.id_number),
            ("phone", people.worker_express.phone),
        ):
            body = assert_error_format(client.get(url, {name: value}), 400, "invalid")
            assert f"{url}search/" in body["fields"][name][0]
            # The request id is random hex: a short value could appear in it by chance.
            assert value not in str({k: v for k, v in body.items() if k != "request_id"})


def test_worker_filters(world, people):
    client = api_client(world.secretary_delivery)
    assert ids_of(client.get(WORKERS, {"region": world.district_a.code})) == {
        people.worker_delivery.pk
    }
    assert ids_of(client.get(WORKERS, {"platform": world.platform.pk})) == {
        people.worker_delivery.pk
    }
    assert ids_of(client.get(WORKERS, {"political_status": "full"})) == {people.worker_delivery.pk}
    assert ids_of(client.get(WORKERS, {"source": "survey-2026"})) == {people.worker_delivery_b.pk}
    # An industry outside the scope is not even a valid choice... but delivery is.
    assert ids_of(client.get(WORKERS, {"industry": "food_delivery"})) == {
        people.worker_delivery.pk,
        people.worker_delivery_b.pk,
    }
    # A platform enterprise is scoped: an out-of-scope enterprise is an invalid filter choice.
    response = client.get(WORKERS, {"enterprise": world.ent_express_a.pk})
    assert_error_format(response, 400)


def test_member_filters(world, people):
    client = api_client(world.secretary_delivery)
    assert ids_of(client.get(MEMBERS, {"is_mobile": "true"})) == {people.mobile_member.pk}
    assert ids_of(client.get(MEMBERS, {"organization": world.committee_delivery.pk})) == {
        people.member_delivery.pk,
        people.mobile_member.pk,
    }
    PartyMember.objects.filter(pk=people.mobile_member.pk).update(
        lost_contact_since=dt.date(2026, 1, 1)
    )
    assert ids_of(client.get(MEMBERS, {"lost_contact": "true"})) == {people.mobile_member.pk}
    assert ids_of(client.get(MEMBERS, {"lost_contact_before": "2025-12-31"})) == set()
    assert ids_of(client.get(MEMBERS, {"status": "full"})) == {
        people.member_delivery.pk,
        people.mobile_member.pk,
    }
    assert_error_format(client.get(MEMBERS, {"organization": world.branch_express.pk}), 400)


# --- partners ----------------------------------------------------------------------------------


def test_partner_reads_only_its_platform_and_never_political_status(world, people):
    client = api_client(world.partner)
    response = client.get(WORKERS)
    assert ids_of(response) == {people.worker_delivery.pk}
    assert all("political_status" not in row for row in response.json()["results"])
    detail = client.get(f"{WORKERS}{people.worker_delivery.pk}/").json()
    assert "political_status" not in detail
    assert client.get(f"{WORKERS}{people.worker_express.pk}/").status_code == 404
    # Filtering by it would disclose it: the filter does not exist for a partner.
    narrowed = client.get(WORKERS, {"political_status": PoliticalStatus.MASSES})
    assert ids_of(narrowed) == {people.worker_delivery.pk}


def test_partner_writes_its_own_platform_only(world):
    client = api_client(world.partner)
    payload = {
        "source": "meituan",
        "external_id": "MT-7",
        "name": "冯巩",
        "industry": world.delivery.code,
        "platform": world.platform.pk,
        "political_status": PoliticalStatus.FULL,
    }
    created = client.post(WORKERS, payload)
    assert created.status_code == 201, created.content
    assert "political_status" not in created.json()
    assert Worker.objects.get(pk=created.json()["id"]).political_status == PoliticalStatus.FULL
    orphan = client.post(WORKERS, {**payload, "external_id": "MT-8", "platform": None})
    assert_error_format(orphan, 400)
    assert not Worker.objects.filter(external_id="MT-8").exists()


def test_partner_cannot_read_members_letters_proposals_or_cases(world, people):
    client = api_client(world.partner)
    for url in (MEMBERS, LETTERS, "/api/v1/match-proposals/", "/api/v1/cases/"):
        assert client.get(url).status_code in (403, 404), url


# --- status actions ----------------------------------------------------------------------------


def test_member_actions_follow_the_rules(world, people):
    client = api_client(world.secretary_delivery)
    member = people.member_delivery
    url = f"{MEMBERS}{member.pk}/suspend/"
    body = assert_error_format(client.post(url), 400, "invalid")
    assert "lost_contact_since" in body["fields"]
    PartyMember.objects.filter(pk=member.pk).update(lost_contact_since=dt.date(2025, 1, 1))
    response = client.post(url)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == MemberStatus.SUSPENDED
    restored = client.post(f"{MEMBERS}{member.pk}/restore/")
    assert restored.json()["status"] == MemberStatus.FULL
    # The status is not writable by a plain PATCH.
    client.patch(f"{MEMBERS}{member.pk}/", {"status": MemberStatus.REMOVED})
    assert PartyMember.objects.get(pk=member.pk).status == MemberStatus.FULL
    # Out of scope: 404.
    other = api_client(world.secretary_express).post(url)
    assert_error_format(other, 404, "not_found")


def test_letter_actions_issue_receive(world, people):
    client = api_client(world.secretary_delivery)
    letter = letter_for(people.mobile_member, to_organization=world.branch_delivery)
    url = f"{LETTERS}{letter.pk}/"
    assert_error_format(client.post(url + "receive/"), 400)
    bad = assert_error_format(client.post(url + "issue/", {}), 400)
    assert "valid_until" in bad["fields"]
    valid_until = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    issued = client.post(url + "issue/", {"valid_until": valid_until, "letter_number": "CZ-1"})
    assert issued.status_code == 200, issued.content
    assert issued.json()["status"] == TransferLetterStatus.ISSUED
    assert client.post(url + "receive/").json()["status"] == TransferLetterStatus.RECEIVED
    people.mobile_member.refresh_from_db()
    assert people.mobile_member.organization == world.branch_delivery
    members = client.get(MEMBERS, {"page_size": 100}).json()["results"]
    latest = {row["id"]: row["letter_status"] for row in members}
    assert latest[people.mobile_member.pk] == TransferLetterStatus.RECEIVED


def test_letter_return(world, people):
    client = api_client(world.staff)
    letter = letter_for(people.mobile_member)
    client.post(
        f"{LETTERS}{letter.pk}/issue/",
        {"valid_until": (timezone.localdate() + dt.timedelta(days=10)).isoformat()},
    )
    returned = client.post(f"{LETTERS}{letter.pk}/return/", {"note": "对方不接收"})
    assert returned.json()["status"] == TransferLetterStatus.RETURNED
    assert AuditEvent.objects.filter(verb="letter_return").count() == 1


def test_the_schema_documents_the_search_and_no_protected_query_parameter(world):
    schema = api_client(world.staff).get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200, schema.content[:300]
    paths = schema.json()["paths"]
    for base in (WORKERS, MEMBERS):
        assert "post" in paths[f"{base}search/"]
        names = {p["name"] for p in paths[base]["get"].get("parameters", [])}
        assert not names & {"id_number", "phone"}, names
