"""The portal lists of workers and members: scope, filters, pagination, export, queries."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import PIIAccessLog
from members.models import PartyMember
from tests import factories as f

pytestmark = pytest.mark.django_db

WORKERS = reverse("members:worker_list")
MEMBERS = reverse("members:member_list")


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {obj.pk for obj in response.context["object_list"]}


def test_worker_filters_share_the_api_filterset(client, world, people):
    client.force_login(world.secretary_delivery)
    assert listed(client.get(WORKERS)) == {people.worker_delivery.pk, people.worker_delivery_b.pk}
    assert listed(client.get(WORKERS, {"region": world.district_b.code})) == {
        people.worker_delivery_b.pk
    }
    by_id = client.get(WORKERS, {"id_number": people.worker_delivery.id_number}, follow=True)
    assert listed(by_id) == {people.worker_delivery.pk}
    assert listed(client.get(WORKERS, {"q": "王芳"})) == {people.worker_delivery_b.pk}
    # The typed number comes back as a token: not in the form, the links or the URL.
    phone = people.worker_delivery.phone
    response = client.get(WORKERS, {"phone": phone, "active": "true"}, follow=True)
    assert listed(response) == {people.worker_delivery.pk}
    assert phone not in response.content.decode()
    assert phone not in response.redirect_chain[-1][0]
    assert "active=true" in response.redirect_chain[-1][0]
    export = client.get(WORKERS, {"phone": phone, "format": "xlsx"}, follow=True)
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and people.worker_delivery.name in rows[1]


def test_the_filter_form_sends_an_id_or_phone_by_post_never_in_a_url(client, world, people):
    client.force_login(world.secretary_delivery)
    page = client.get(WORKERS).content.decode()
    assert 'class="filter-form" method="post"' in page and "csrfmiddlewaretoken" in page
    phone = people.worker_delivery.phone
    sent = client.post(WORKERS, {"phone": phone, "active": "true", "region": ""})
    assert sent.status_code == 302
    target = sent["Location"]
    assert phone not in target and "active=true" in target and "region=" not in target
    response = client.get(target)
    assert listed(response) == {people.worker_delivery.pk}
    assert phone not in response.content.decode()
    # The same for a member's ID number.
    member = f.PartyMemberFactory(organization=world.branch_delivery)
    sent = client.post(MEMBERS, {"id_number": member.id_number})
    assert member.id_number not in sent["Location"]
    assert listed(client.get(sent["Location"])) == {member.pk}


def test_member_list_shows_mobile_member_columns(client, world, people):
    PartyMember.objects.filter(pk=people.mobile_member.pk).update(
        lost_contact_since=dt.date(2026, 2, 3), activity_card_number="LD-77"
    )
    client.force_login(world.secretary_delivery)
    response = client.get(MEMBERS, {"is_mobile": "true"})
    assert listed(response) == {people.mobile_member.pk}
    html = response.content.decode()
    for text in ("安徽省阜阳市某村党支部", world.branch_delivery.name, "2026-02-03", "LD-77"):
        assert text in html


def test_lists_paginate(client, world):
    for _ in range(3):
        f.WorkerFactory(industry=world.delivery, region=world.district_a)
    client.force_login(world.staff)
    from members.views.people import WorkerListView

    original = WorkerListView.paginate_by
    WorkerListView.paginate_by = 2
    try:
        first = client.get(WORKERS)
        second = client.get(WORKERS, {"page": 2})
    finally:
        WorkerListView.paginate_by = original
    assert first.context["is_paginated"] and len(listed(first)) == 2
    assert listed(first).isdisjoint(listed(second))


def test_export_has_every_filtered_row_masked_and_is_logged(client, world, people):
    client.force_login(world.secretary_delivery)
    response = client.get(WORKERS, {"format": "xlsx", "region": world.district_a.code})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the one worker in district A
    assert people.worker_delivery.name in rows[1]
    log = PIIAccessLog.objects.get(action="export")
    assert log.actor == world.secretary_delivery and log.row_count == 1


@pytest.mark.parametrize("url", [WORKERS, MEMBERS])
def test_list_query_count_does_not_grow(client, world, url):
    client.force_login(world.staff)

    def add(n):
        for _ in range(n):
            f.WorkerFactory(
                industry=world.delivery,
                region=world.district_a,
                platform=world.platform,
                enterprise=world.ent_delivery_a,
            )
            f.PartyMemberFactory(
                organization=world.branch_delivery, host_organization=world.branch_express
            )

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(8)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
