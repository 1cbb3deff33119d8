"""The admin face of workers, members and letters: new identity values in, masked out,
blind-index search, status actions and the letter steps, all through the services."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from members.choices import MemberStatus, TransferLetterStatus
from members.models import PartyMember, TransferLetter, Worker
from tests import factories as f

pytestmark = pytest.mark.django_db

WORKERS = reverse("admin:members_worker_changelist")
MEMBERS = reverse("admin:members_partymember_changelist")
LETTERS = reverse("admin:members_transferletter_changelist")


def worker_change_url(worker) -> str:
    return reverse("admin:members_worker_change", args=[worker.pk])


def worker_form(worker, **overrides) -> dict:
    seen = timezone.localtime(worker.first_seen)
    data = {
        "name": worker.name,
        "new_id_number": "",
        "new_phone": "",
        "political_status": worker.political_status,
        "industry": worker.industry_id or "",
        "enterprise": worker.enterprise_id or "",
        "platform": worker.platform_id or "",
        "region": worker.region_id or "",
        "work_lat": "",
        "work_lng": "",
        "active": "on",
        "source": worker.source,
        "source_kind": worker.source_kind,
        "external_id": worker.external_id,
        "first_seen_0": seen.date().isoformat(),
        "first_seen_1": seen.strftime("%H:%M:%S"),
        "last_seen_0": seen.date().isoformat(),
        "last_seen_1": seen.strftime("%H:%M:%S"),
        "_save": "1",
    }
    data.update(overrides)
    return data


def test_empty_inputs_keep_the_stored_id_and_phone(client, world, people):
    worker = people.worker_delivery
    id_number, phone, stamp = worker.id_number, worker.phone, worker.identity_changed_at
    client.force_login(world.secretary_delivery)
    response = client.post(worker_change_url(worker), worker_form(worker, name="张伟伟"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    worker.refresh_from_db()
    assert (worker.name, worker.id_number, worker.phone) == ("张伟伟", id_number, phone)
    assert worker.identity_changed_at > stamp  # the name is read by the matcher


def test_a_new_id_replaces_the_stored_one_and_is_audited_masked(client, world, people):
    worker = people.worker_delivery
    new_id = f.resident_id_for(31337)
    client.force_login(world.secretary_delivery)
    response = client.post(
        worker_change_url(worker), worker_form(worker, new_id_number=new_id.lower())
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.id_number == new_id
    event = AuditEvent.objects.filter(object_id=str(worker.pk), action="update").get()
    assert new_id not in str(event.changes) and "id_number" in event.changes


def test_a_bad_new_id_is_an_error_on_its_input_and_not_echoed(client, world, people):
    worker = people.worker_delivery
    client.force_login(world.secretary_delivery)
    bad = "110105194912310021"
    response = client.post(worker_change_url(worker), worker_form(worker, new_id_number=bad))
    assert response.status_code == 200
    assert "new_id_number" in response.context["adminform"].form.errors
    assert bad not in response.content.decode()
    assert Worker.objects.get(pk=worker.pk).id_number == people.worker_delivery.id_number


def test_adding_a_worker_outside_scope_is_a_form_error(client, world):
    client.force_login(world.secretary_express)
    worker = Worker(source="sf", external_id="SF-9", name="秦始", political_status="masses")
    data = worker_form(worker, enterprise=world.ent_delivery_a.pk, industry=world.express.pk)
    data["first_seen_0"] = data["last_seen_0"] = "2026-11-01"
    data["first_seen_1"] = data["last_seen_1"] = "08:00:00"
    response = client.post(reverse("admin:members_worker_add"), data)
    assert response.status_code == 200
    assert "enterprise" in response.context["adminform"].form.errors
    assert not Worker.objects.filter(external_id="SF-9").exists()


def test_search_by_exact_id_or_phone_uses_the_blind_index(client, world, people):
    client.force_login(world.staff)
    target = people.worker_express
    for term in (target.id_number, target.phone, f"+86 {target.phone}"):
        response = client.get(WORKERS, {"q": term}, follow=True)
        assert {w.pk for w in response.context["cl"].result_list} == {target.pk}, term
        # The typed value came back as a token: not in the search box, links or URL.
        html = response.content.decode()
        assert target.id_number not in html and target.phone not in html
        assert target.id_number not in response.redirect_chain[-1][0]
    by_name = client.get(WORKERS, {"q": target.name})
    assert target.pk in {w.pk for w in by_name.context["cl"].result_list}
    member = people.member_express
    response = client.get(MEMBERS, {"q": member.id_number}, follow=True)
    assert {m.pk for m in response.context["cl"].result_list} == {member.pk}


def test_changelist_query_count_does_not_grow(client, world):
    client.force_login(world.staff)
    for _ in range(2):
        f.WorkerFactory(industry=world.delivery, region=world.district_a, platform=world.platform)
        f.PartyMemberFactory(organization=world.branch_delivery)
    client.get(WORKERS)
    counts = {}
    for label in ("few", "many"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(WORKERS).status_code == 200
            assert client.get(MEMBERS).status_code == 200
        counts[label] = len(captured.captured_queries)
        for _ in range(6):
            f.WorkerFactory(
                industry=world.delivery, region=world.district_a, platform=world.platform
            )
            f.PartyMemberFactory(organization=world.branch_delivery)
    assert counts["few"] == counts["many"]


def test_member_status_is_read_only_and_moves_by_actions(client, world, people):
    member = people.member_delivery
    client.force_login(world.secretary_delivery)
    form = client.get(reverse("admin:members_partymember_change", args=[member.pk]))
    assert "status" not in form.context["adminform"].form.fields
    action = {"action": "suspend", ACTION_CHECKBOX_NAME: [member.pk]}
    client.post(MEMBERS, action)
    assert PartyMember.objects.get(pk=member.pk).status == MemberStatus.FULL
    PartyMember.objects.filter(pk=member.pk).update(lost_contact_since=dt.date(2025, 1, 1))
    client.post(MEMBERS, action)
    assert PartyMember.objects.get(pk=member.pk).status == MemberStatus.SUSPENDED
    client.post(MEMBERS, {"action": "restore", ACTION_CHECKBOX_NAME: [member.pk]})
    assert PartyMember.objects.get(pk=member.pk).status == MemberStatus.FULL


def test_letter_issue_action_asks_for_validity(client, world, people):
    letter = TransferLetter.objects.create(
        member=people.mobile_member,
        from_organization_name="外省",
        to_organization=world.branch_delivery,
    )
    client.force_login(world.secretary_delivery)
    selection = {"action": "issue", ACTION_CHECKBOX_NAME: [letter.pk]}
    page = client.post(LETTERS, selection)
    assert page.status_code == 200 and "valid_until" in page.content.decode()
    assert TransferLetter.objects.get(pk=letter.pk).status == TransferLetterStatus.DRAFT
    valid_until = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    done = client.post(LETTERS, {**selection, "apply": "1", "valid_until": valid_until})
    assert done.status_code == 302
    letter.refresh_from_db()
    assert letter.status == TransferLetterStatus.ISSUED
    assert letter.valid_until.isoformat() == valid_until
    # An issued letter is not edited in the form any more.
    change = client.get(reverse("admin:members_transferletter_change", args=[letter.pk]))
    assert not change.context["has_change_permission"]
    client.post(LETTERS, {"action": "receive", ACTION_CHECKBOX_NAME: [letter.pk]})
    assert TransferLetter.objects.get(pk=letter.pk).status == TransferLetterStatus.RECEIVED
