"""Roster intake through the one service (``members.services.intake``): validation and
per-row errors, upsert by key, scope and partners, the matcher's change marker, one audit event."""

import datetime as dt

import pytest
from django.utils.translation import override

from core.identity import make_resident_id
from core.models import AuditEvent, JobRun
from core.pii import blind_index
from members.choices import PoliticalStatus
from members.models import PartyMember, Worker
from members.services.intake import SYSTEM, member_roster_upsert, roster_upsert
from tests import factories as f

pytestmark = pytest.mark.django_db


def worker_row(n: int, **cells) -> dict:
    row = {
        "external_id": f"MT-{n:05d}",
        "name": "张三",
        "id_number": f.resident_id_for(n),
        "phone": f.phone_for(n),
        "industry": "food_delivery",
        "enterprise_uscc": "",
        "region_code": "320402",
        "political_status": "masses",
        "work_lat": "31.78",
        "work_lng": "119.95",
    }
    row.update(cells)
    return row


def errors_of(report) -> list[tuple[int, str]]:
    return [(e.row, e.field) for e in report.errors]


def test_good_rows_land_and_bad_rows_are_reported_with_row_field_and_reason(world):
    bad_id = f.resident_id_for(2)[:-1] + ("0" if f.resident_id_for(2)[-1] != "0" else "1")
    rows = [
        worker_row(1),
        worker_row(2, id_number=bad_id),
        worker_row(3, industry="no-such"),
        worker_row(4, region_code="999999"),
        worker_row(5, work_lat="95", work_lng="120"),
        worker_row(6, work_lat="31.7", work_lng=""),
        worker_row(7, political_status="boss"),
        worker_row(8, phone="12345"),
        worker_row(9),
    ]
    with override("en"):  # messages come in the request's language
        report = roster_upsert(actor=world.staff, source="meituan", rows=rows)
    assert (report.read, report.created, report.rejected) == (9, 2, 7)
    assert errors_of(report) == [
        (2, "id_number"),
        (3, "industry"),
        (4, "region_code"),
        (5, "work_lat"),
        (6, "work_lng"),
        (7, "political_status"),
        (8, "phone"),
    ]
    assert "check digit" in report.errors[0].message
    assert set(Worker.objects.values_list("external_id", flat=True)) == {"MT-00001", "MT-00009"}


def test_fifteen_digit_ids_are_converted_at_intake(world):
    eighteen = make_resident_id("320402", dt.date(1980, 5, 17), 123)
    fifteen = eighteen[:6] + eighteen[8:17]
    report = roster_upsert(
        actor=world.staff, source="meituan", rows=[worker_row(1, id_number=fifteen)]
    )
    assert report.created == 1
    worker = Worker.objects.get()
    assert worker.id_number == eighteen
    assert worker.id_number_index == blind_index(eighteen, kind="resident_id")
    assert worker.birth_date == dt.date(1980, 5, 17)
    assert worker.gender == "male"


def test_a_region_the_tables_do_not_know_only_warns(world):
    unknown_region_id = make_resident_id("990101", dt.date(1990, 1, 1), 2)
    report = roster_upsert(
        actor=world.staff, source="meituan", rows=[worker_row(1, id_number=unknown_region_id)]
    )
    assert report.created == 1 and report.rejected == 0
    assert [(w.row, w.field) for w in report.warnings] == [(1, "id_number")]


def test_empty_cells_are_allowed_and_do_not_erase_on_update(world):
    sparse = {"external_id": "MT-1", "name": "李四"}
    report = roster_upsert(actor=world.staff, source="meituan", rows=[sparse])
    assert report.created == 1
    worker = Worker.objects.get()
    assert worker.id_number == "" and worker.industry is None and worker.work_lat is None
    assert worker.political_status == PoliticalStatus.MASSES

    roster_upsert(actor=world.staff, source="meituan", rows=[worker_row(1, external_id="MT-1")])
    report = roster_upsert(actor=world.staff, source="meituan", rows=[{"external_id": "MT-1"}])
    assert (report.updated, report.unchanged) == (0, 1)
    worker.refresh_from_db()
    assert worker.id_number == f.resident_id_for(1)
    assert worker.industry == world.delivery and worker.work_lat == 31.78


def test_reimport_updates_rather_than_duplicates_and_marks_identity_changes_only(world):
    roster_upsert(actor=world.staff, source="meituan", rows=[worker_row(1), worker_row(2)])
    marks = dict(Worker.objects.values_list("external_id", "identity_changed_at"))
    seen = dict(Worker.objects.values_list("external_id", "last_seen"))

    report = roster_upsert(
        actor=world.staff,
        source="meituan",
        rows=[worker_row(1, name="张三丰"), worker_row(2, political_status="full")],
    )
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    assert Worker.objects.count() == 2
    one, two = (
        Worker.objects.get(external_id="MT-00001"),
        Worker.objects.get(external_id="MT-00002"),
    )
    assert one.name == "张三丰" and one.name_pinyin != ""
    assert one.identity_changed_at > marks["MT-00001"]  # the name is read by the matcher
    assert two.political_status == "full"
    assert two.identity_changed_at == marks["MT-00002"]  # political status is not
    assert two.last_seen > seen["MT-00002"]

    report = roster_upsert(
        actor=world.staff, source="meituan", rows=[worker_row(2, political_status="full")]
    )
    assert (report.updated, report.unchanged) == (0, 1)


def test_a_changed_id_number_updates_its_index_and_derived_fields(world):
    roster_upsert(actor=world.staff, source="meituan", rows=[worker_row(1)])
    new_id = make_resident_id("320402", dt.date(1991, 2, 3), 20)
    roster_upsert(actor=world.staff, source="meituan", rows=[worker_row(1, id_number=new_id)])
    worker = Worker.objects.get()
    assert worker.id_number == new_id
    assert Worker.objects.filter(id_number_index=blind_index(new_id, kind="resident_id")).exists()
    assert worker.birth_date == dt.date(1991, 2, 3) and worker.gender == "female"


def test_a_key_twice_in_one_batch_rejects_the_later_row(world):
    report = roster_upsert(
        actor=world.staff, source="meituan", rows=[worker_row(1), worker_row(1, name="重复")]
    )
    assert (report.created, report.rejected) == (1, 1)
    assert errors_of(report) == [(2, "external_id")]
    assert Worker.objects.get().name == "张三"


def test_one_audit_event_and_job_run_per_batch(world):
    before = AuditEvent.objects.count()
    report = roster_upsert(
        actor=world.staff, source="meituan", rows=[worker_row(n) for n in range(5)]
    )
    assert AuditEvent.objects.count() == before + 1
    job = JobRun.objects.get(pk=report.job_id)
    assert job.result["created"] == 5
    assert AuditEvent.objects.latest("id").object_id == str(job.pk)


def test_dry_run_writes_nothing(world):
    report = roster_upsert(actor=world.staff, source="meituan", rows=[worker_row(1)], dry_run=True)
    assert report.created == 1
    assert not Worker.objects.exists() and not JobRun.objects.exists()


def test_a_secretary_importing_an_enterprise_outside_their_scope_gets_a_row_error(world):
    rows = [
        worker_row(1, enterprise_uscc=world.ent_delivery_a.uscc),
        worker_row(2, enterprise_uscc=world.ent_express_a.uscc, industry="express"),
        worker_row(3, industry="express", region_code="320402"),
    ]
    report = roster_upsert(actor=world.secretary_delivery, source="survey", rows=rows)
    assert report.created == 1
    assert errors_of(report) == [(2, "enterprise_uscc"), (3, "industry")]
    worker = Worker.objects.get()
    assert worker.enterprise == world.ent_delivery_a
    assert worker.platform == world.platform  # from the enterprise


def test_a_secretary_cannot_change_a_worker_outside_their_scope(world, people):
    row = worker_row(1, external_id="SF-0001", name="改名", industry="")
    report = roster_upsert(actor=world.secretary_delivery, source="sf-express", rows=[row])
    assert errors_of(report) == [(1, "external_id")]
    people.worker_express.refresh_from_db()
    assert people.worker_express.name == "李强"


def test_a_partner_writes_only_workers_of_its_own_platform(world, people):
    other_platform = f.EnterpriseFactory(
        kind="platform_hq", industry=world.delivery, region=world.city
    )
    f.WorkerFactory(source="meituan", external_id="ELM-1", platform=other_platform, name="别家")
    report = roster_upsert(
        actor=world.partner,
        source="meituan",
        rows=[
            worker_row(1, industry="", region_code=""),
            worker_row(2, external_id="ELM-1", name="抢走"),
            worker_row(3, external_id="MT-0001", name="张伟"),
        ],
    )
    assert (report.created, report.rejected) == (1, 1)
    assert errors_of(report) == [(2, "external_id")]
    assert Worker.objects.get(external_id="MT-00001").platform == world.platform
    assert Worker.objects.get(external_id="ELM-1").name == "别家"


def test_the_system_actor_is_city_wide_and_none_is_refused(world):
    assert roster_upsert(actor=SYSTEM, source="meituan", rows=[worker_row(1)]).created == 1
    with pytest.raises(ValueError):
        roster_upsert(actor=None, source="meituan", rows=[worker_row(2)])


def test_ten_thousand_rows_in_chunks(world):
    rows = [worker_row(n) for n in range(2500)]
    report = roster_upsert(actor=world.staff, source="meituan", rows=rows)
    assert (report.created, report.rejected) == (2500, 0)
    report = roster_upsert(actor=world.staff, source="meituan", rows=rows)
    assert report.unchanged == 2500


# --- members ---------------------------------------------------------------------------------


def member_row(n: int, **cells) -> dict:
    row = {
        "member_id": f"M-{n:05d}",
        "name": "赵六",
        "id_number": f.resident_id_for(n + 7000),
        "phone": f.phone_for(n + 7000),
        "status": "full",
        "organization_code": "br-delivery",
        "home_organization": "",
        "joined_on": "2015-07-01",
        "mobile": "false",
    }
    row.update(cells)
    return row


def test_members_are_upserted_by_member_id_with_row_errors(world):
    rows = [
        member_row(1),
        member_row(2, status="probationary", joined_on="2026-01-05"),
        member_row(3, mobile="true", organization_code="", home_organization="安徽省某村党支部"),
        member_row(4, id_number=f.resident_id_for(7001)),  # the ID of row 1
        member_row(5, organization_code="nope"),
        member_row(6, joined_on="01/07/2015"),
        member_row(7, status="suspended"),
        member_row(8, mobile="maybe"),
        member_row(9, organization_code="", home_organization=""),
    ]
    report = member_roster_upsert(actor=SYSTEM, rows=rows, first_row=2)
    assert report.created == 3
    assert errors_of(report) == [
        (5, "id_number"),
        (6, "organization_code"),
        (7, "joined_on"),
        (8, "status"),
        (9, "mobile"),
        (10, "organization_code"),
    ]
    probationary = PartyMember.objects.get(member_id="M-00002")
    assert probationary.probation_due == dt.date(2027, 1, 5)
    assert PartyMember.objects.get(member_id="M-00003").is_mobile

    report = member_roster_upsert(actor=SYSTEM, rows=[member_row(1, name="赵六六")])
    assert report.updated == 1 and PartyMember.objects.count() == 3


def test_an_id_number_held_by_another_member_is_a_row_error(world, people):
    report = member_roster_upsert(
        actor=SYSTEM, rows=[member_row(1, id_number=people.member_express.id_number)]
    )
    assert errors_of(report) == [(1, "id_number")]


def test_a_secretary_imports_members_only_into_organizations_they_see(world):
    rows = [member_row(1), member_row(2, organization_code="br-express")]
    report = member_roster_upsert(actor=world.secretary_delivery, rows=rows)
    assert report.created == 1
    assert errors_of(report) == [(2, "organization_code")]
    # A member with only an outside home organization would fall outside the secretary's scope.
    report = member_roster_upsert(
        actor=world.secretary_delivery,
        rows=[member_row(3, organization_code="", mobile="true", home_organization="外地党支部")],
    )
    assert errors_of(report) == [(1, "organization_code")]
    assert not PartyMember.objects.filter(member_id="M-00003").exists()
