"""Identity data on workers and members: derived fields, the hard checksum rule and scope."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from members.models import PartyMember, Worker
from organizations import scoping

pytestmark = pytest.mark.django_db


def test_id_number_derives_birth_date_gender_and_pinyin(world):
    worker = Worker(
        source="meituan", external_id="X1", name="章 伟", id_number="11010519491231002x"
    )
    worker.full_clean()
    worker.save()
    worker.refresh_from_db()
    assert worker.id_number == "11010519491231002X"
    assert worker.birth_date == dt.date(1949, 12, 31)
    assert worker.gender == "female"
    assert worker.name == "章 伟"
    assert worker.name_pinyin == "zhang wei"


def test_legacy_15_digit_id_is_converted():
    worker = Worker(source="s", external_id="1", name="李四", id_number="130503670401001")
    worker.full_clean()
    assert worker.id_number == "130503196704010016"
    assert worker.birth_date == dt.date(1967, 4, 1)
    assert worker.gender == "male"


def test_bad_check_digit_is_a_field_error_and_unknown_region_only_a_warning():
    worker = Worker(source="s", external_id="1", name="李四", id_number="110105194912310021")
    with pytest.raises(ValidationError) as caught:
        worker.full_clean()
    assert "id_number" in caught.value.message_dict
    assert worker.birth_date is None
    odd_region = Worker(source="s", external_id="2", name="王五", id_number="990105194912310023")
    odd_region.full_clean()
    assert odd_region.id_number_warnings


def test_raw_rows_hold_no_plaintext_id_or_phone(people):
    member = people.member_delivery
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_index FROM members_partymember WHERE id = %s",
            [member.pk],
        )
        raw_id, raw_phone, index = cursor.fetchone()
    assert member.id_number not in raw_id and member.phone not in raw_phone
    assert len(index) == 64 and member.id_number not in index


def test_member_id_number_is_unique_whatever_its_spelling(people):
    twin = PartyMember(
        member_id="M-dup",
        name="赵磊",
        id_number=people.member_delivery.id_number.lower(),
        organization=people.member_delivery.organization,
    )
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "id_number" in caught.value.message_dict


def test_a_secretary_sees_only_their_committees_people(world, people):
    workers = scoping.visible(Worker, world.secretary_delivery)
    assert set(workers) == {people.worker_delivery, people.worker_delivery_b}
    members = scoping.visible(PartyMember, world.secretary_delivery)
    assert set(members) == {people.member_delivery, people.mobile_member}
    assert set(scoping.visible(PartyMember, world.secretary_express)) == {people.member_express}
    assert set(scoping.visible(Worker, world.partner)) == {people.worker_delivery}
    assert set(scoping.visible(Worker, world.district_officer)) == {people.worker_delivery_b}
