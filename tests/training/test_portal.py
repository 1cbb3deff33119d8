"""The portal pages: scoped lists (a secretary never sees another committee's class), pages out
of scope answer 404, the check-in page records attendance, the statistics page and its export
hold the numbers the data holds, and the dashboard figures."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from core.models import PIIAccessLog
from organizations.figures import FigureFilter
from tests import factories as f
from training import selectors, services
from training.models import Attendance

from .helpers import attend, make_class, make_event, make_lesson, make_session


def _names(response) -> set[str]:
    return {row["cells"][0][1] for row in response.context["rows"]}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("staff", {"class_d", "class_e"}),
        ("secretary_delivery", {"class_d"}),
        ("secretary_express", {"class_e"}),
        ("district_officer", {"class_e"}),  # held in district B
    ],
)
def test_class_list_and_export_are_scoped(client, world, training, username, expected):
    names = {k: getattr(training, k).name for k in ("class_d", "class_e")}
    client.force_login(getattr(world, username))
    response = client.get("/training/classes/")
    assert response.status_code == 200
    assert _names(response) == {names[k] for k in expected}
    export = client.get("/training/classes/", {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {names[k] for k in expected}
    assert PIIAccessLog.objects.get(actor=getattr(world, username)).row_count == len(expected)


def test_out_of_scope_pages_are_404(client, world, people, training):
    client.force_login(world.secretary_express)
    assert client.get(f"/training/classes/{training.class_d.pk}/").status_code == 404
    check_in = f"/training/sessions/{training.sessions_d[-1].pk}/check-in/"
    assert client.get(check_in).status_code == 404
    assert client.post(check_in, {"worker": people.worker_express.pk}).status_code == 404
    assert not Attendance.objects.exists()
    record = f"/training/records/workers/{people.worker_delivery.pk}/"
    assert client.get(record).status_code == 404
    assert client.get(f"/training/classes/{training.class_e.pk}/").status_code == 200


def test_every_signed_in_user_reads_the_course_menu(client, world, training):
    client.force_login(world.district_officer)
    response = client.get("/training/", {"topic": "political_theory"})
    assert _names(response) == {training.course.title}
    assert client.get("/training/", {"topic": "safety"}).context["rows"] == []
    client.logout()
    assert client.get("/training/").status_code == 302  # to the login page


def test_check_in_page_shows_the_code_and_records_a_worker(client, world, people, training):
    session = training.sessions_d[-1]
    client.force_login(world.secretary_delivery)
    url = f"/training/sessions/{session.pk}/check-in/"
    page = client.get(url)
    body = page.content.decode()
    assert session.check_in_code in body
    link = (
        f"http://testserver/training/sessions/{session.pk}/check-in/?code={session.check_in_code}"
    )
    assert link in body
    # The QR drawn on the page carries exactly that link, with the current code.
    qr = segno.make(link, error="m").svg_inline(scale=5, dark="#1f2933", light="#ffffff")
    assert 'id="check-in-qr"' in body and qr in body
    worker = people.worker_delivery
    done = client.post(
        url, {"worker_source": worker.source, "worker_external_id": worker.external_id}
    )
    assert done.status_code == 302
    again = client.post(url, {"worker": worker.pk})
    assert again.status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.worker == worker and attendance.channel == "portal"
    bad = client.post(url, {"worker": ""})
    assert bad.status_code == 200 and bad.context["form"].errors["worker"]


def test_class_list_query_count_is_constant(client, world, training):
    client.force_login(world.staff)
    client.get("/training/classes/")
    with CaptureQueriesContext(connection) as few:
        client.get("/training/classes/")
    for _ in range(12):
        tc = make_class(world)
        make_session(world, tc)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/training/classes/")
    assert len(response.context["rows"]) == 14
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    "url", ["/training/", "/training/lessons/", "/training/outreach/", "/training/designations/"]
)
def test_other_lists_query_count_is_constant(client, world, people, training, url):
    from .helpers import make_designation, make_member

    def more(n):
        for _ in range(n):
            make_lesson(world).attendees.add(make_member(world.branch_delivery))
            make_event(world)
            make_designation(world, make_member(world.branch_delivery), world.branch_delivery)
            services.course_create(
                actor=world.staff,
                data={
                    "title": "课",
                    "topic": "safety",
                    "hours": 1,
                    "industries": [world.delivery],
                    "lecturers": [training.lecturer],
                },
            )

    client.force_login(world.staff)
    more(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more(6)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


# --- statistics ----------------------------------------------------------------------------


@pytest.fixture
def year_of_data(world, people, training):
    """Attendance at class D (3 rows) and class E (1 row), two lessons and two events, one
    of each outside the delivery secretary's scope, and one lesson last year."""
    attend(world, people.worker_delivery, training.sessions_d[-3:])
    services.attendance_check_in(
        actor=world.staff,
        session=training.session_e,
        worker=people.worker_express,
        code=None,
        channel="portal",
    )
    make_lesson(world, world.branch_delivery, audience=20)
    make_lesson(world, world.branch_express, audience=30)
    last_year = timezone.localdate().replace(month=6, day=1) - dt.timedelta(days=366)
    make_lesson(world, world.branch_delivery, audience=99, given_on=last_year)
    make_event(world, audience=50)
    make_event(world, world.committee_express, world.express, world.district_b, audience=70)


def test_statistics_numbers_match_the_data(world, people, training, year_of_data):
    stats = selectors.statistics(world.staff)
    assert stats.totals == {
        "classes": 2,
        "sessions": 6,
        "person_times": 4,
        "party_lessons": 2,
        "lesson_audience": 50,
        "outreach_events": 2,
        "outreach_audience": 120,
    }
    by_industry = {row["label"]: row for row in stats.by_industry}
    assert by_industry["外卖送餐"]["person_times"] == 3  # the attendee's industry
    assert by_industry["快递"]["person_times"] == 1
    assert by_industry["外卖送餐"]["sessions"] == 5  # the organizer's industry
    assert by_industry["快递"]["outreach_audience"] == 70
    by_region = {row["key"]: row for row in stats.by_region}
    assert by_region[world.district_a.code]["person_times"] == 3
    assert by_region[world.district_b.code]["sessions"] == 1
    assert by_region[world.district_b.code]["outreach_audience"] == 70
    month = timezone.localdate().month
    assert sum(r["lesson_audience"] for r in stats.by_month) == 50
    assert stats.by_month[month - 1]["outreach_events"] == 2
    # The delivery secretary's scope holds only their half.
    mine = selectors.statistics(world.secretary_delivery)
    assert mine.totals["classes"] == 1 and mine.totals["person_times"] == 3
    assert mine.totals["lesson_audience"] == 20 and mine.totals["outreach_audience"] == 50
    previous = selectors.statistics(world.staff, year=timezone.localdate().year - 1)
    assert previous.totals["party_lessons"] == 1 and previous.totals["lesson_audience"] == 99


def test_statistics_page_and_export(client, world, training, year_of_data):
    client.force_login(world.secretary_delivery)
    page = client.get("/training/stats/")
    body = page.content.decode()
    assert 'id="total-person_times" value="3"' in body
    assert "vendor/echarts/echarts.min.js" in body and 'id="training-chart-data"' in body
    export = client.get("/training/stats/", {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    total = rows[-1]
    assert total[1] == str(timezone.localdate().year)
    headers = rows[0]
    assert total[headers.index(str(selectors.measure_labels()["person_times"]))] == 3
    assert PIIAccessLog.objects.filter(actor=world.secretary_delivery).exists()


def test_statistics_are_grouped_in_sql(world, training, year_of_data):
    with CaptureQueriesContext(connection) as few:
        selectors.statistics(world.staff)
    for _ in range(5):
        make_lesson(world)
        make_event(world)
    with CaptureQueriesContext(connection) as many:
        selectors.statistics(world.staff)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_dashboard_figures(world, training, year_of_data):
    with CaptureQueriesContext(connection) as queries:
        cards = selectors.dashboard_figures(world.staff)
    assert len(queries.captured_queries) <= 6
    values = {c["key"]: c["value"] for c in cards}
    assert values == {
        "training_classes": 2,
        "training_sessions": 6,
        "training_person_times": 4,
        "party_lessons": 2,
        "outreach_audience": 120,
    }
    for card in cards:
        assert set(card) == {"key", "title", "value", "denominator", "url", "note", "figure"}
        assert card["denominator"] is None and card["url"].startswith("/training/")
    # The cards follow the region chosen on the dashboard: 钟楼区's are its class and event.
    district_b = {
        c["key"]: c["value"]
        for c in selectors.dashboard_figures(
            world.staff, where=FigureFilter(region=world.district_b)
        )
    }
    assert district_b["outreach_audience"] == 70  # the event held in 钟楼区, not the other
    assert district_b["training_classes"] < values["training_classes"]
    express = {c["key"]: c["value"] for c in selectors.dashboard_figures(world.secretary_express)}
    assert express["training_classes"] == 1 and express["outreach_audience"] == 70


def test_worker_record_page(client, world, people, training):
    worker = people.worker_delivery
    attend(world, worker, training.sessions_d[:4])
    client.force_login(world.secretary_delivery)
    page = client.get(f"/training/records/workers/{worker.pk}/")
    record = page.context["record"]
    assert (record.classes, record.classes_completed, record.sessions) == (1, 1, 4)
    assert str(record.hours) == "8.0"
    assert training.class_d.name in page.content.decode()


def test_class_detail_shows_completion(client, world, people, training):
    worker = f.WorkerFactory(industry=world.delivery)
    attend(world, worker, training.sessions_d[:4])
    client.force_login(world.staff)
    page = client.get(f"/training/classes/{training.class_d.pk}/")
    assert page.context["training_class"].completed_count == 1
    assert page.context["training_class"].person_times == 4


def test_a_new_check_in_code_retires_the_old_one(client, world, people, training):
    session = training.sessions_d[-1]
    old = session.check_in_code
    client.force_login(world.secretary_delivery)
    assert client.post(f"/training/sessions/{session.pk}/new-code/").status_code == 302
    session.refresh_from_db()
    assert session.check_in_code != old and len(session.check_in_code) == 6
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.attendance_check_in(
            actor=world.partner,
            session=session,
            worker=people.worker_delivery,
            code=old,
            channel="qr",
        )
    client.force_login(world.secretary_express)
    assert client.post(f"/training/sessions/{session.pk}/new-code/").status_code == 404
