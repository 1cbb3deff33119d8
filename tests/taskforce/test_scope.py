"""A member unit's staff (a ``department`` grant) see and report on what is assigned to their
unit, on every face — portal, API, admin, dashboard — and get 404 for anything else; staff of
other scopes (an industry committee's secretary) see none of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from taskforce import selectors
from taskforce.models import Task, TaskReport
from tests.base import api_client, assert_error_format, ids_of


def test_portal_board_and_task_pages(tf, client):
    client.force_login(tf.postal_staff)
    board = client.get(reverse("taskforce:board"))
    assert board.status_code == 200
    assert [t.pk for t in board.context["tasks"]] == [tf.postal_task.pk]
    assert [r.unit["name"] for r in board.context["board"]] == ["邮政"]
    assert client.get(reverse("taskforce:task_detail", args=[tf.postal_task.pk])).status_code == 200
    assert client.get(reverse("taskforce:task_detail", args=[tf.market_task.pk])).status_code == 404


def test_portal_report_on_own_task_and_not_on_another(tf, client):
    client.force_login(tf.postal_staff)
    url = reverse("taskforce:task_detail", args=[tf.postal_task.pk])
    data = {"progress": 40, "text": "已建成四个驿站", "reported_on": "2026-06-01"}
    assert client.post(url, data).status_code == 302
    report = TaskReport.objects.get()
    assert report.reported_by == tf.postal_staff and report.task == tf.postal_task
    other = reverse("taskforce:task_detail", args=[tf.market_task.pk])
    assert client.post(other, data).status_code == 404
    # Going back is a field error and writes nothing.
    page = client.post(url, {**data, "progress": 10})
    assert page.status_code == 200 and "progress" in page.context["form"].errors
    assert TaskReport.objects.count() == 1


def test_portal_measures_and_research(tf, client):
    client.force_login(tf.postal_staff)
    page = client.get(reverse("taskforce:measure_list"), {"year": 2026})
    assert [p.measure.pk for p in page.context["board"]] == [tf.measure.pk]
    assert client.get(reverse("taskforce:measure_detail", args=[tf.measure.pk])).status_code == 200
    other = reverse("taskforce:measure_detail", args=[tf.other_measure.pk])
    assert client.get(other).status_code == 404
    assert client.get(reverse("taskforce:meeting_detail", args=[tf.meeting.pk])).status_code == 200


def test_api_lists_and_details(tf):
    client = api_client(tf.postal_staff)
    assert ids_of(client.get(reverse("taskforce-task-list"))) == {tf.postal_task.pk}
    assert client.get(reverse("taskforce-task-detail", args=[tf.postal_task.pk])).status_code == 200
    missing = client.get(reverse("taskforce-task-detail", args=[tf.market_task.pk]))
    assert_error_format(missing, 404, "not_found")
    measures = client.get(reverse("measure-list"), {"year": 2026}).json()["results"]
    assert [m["id"] for m in measures] == [tf.measure.pk]
    other = client.get(reverse("measure-detail", args=[tf.other_measure.pk]), {"year": 2026})
    assert_error_format(other, 404, "not_found")


def test_api_report_on_own_task_only(tf):
    client = api_client(tf.postal_staff)
    body = {"progress": 50, "text": "过半"}
    ok = client.post(reverse("taskforce-task-report", args=[tf.postal_task.pk]), body)
    assert ok.status_code == 201, ok.content
    refused = client.post(reverse("taskforce-task-report", args=[tf.market_task.pk]), body)
    assert_error_format(refused, 404, "not_found")
    assert TaskReport.objects.count() == 1
    # Member units report; they do not assign tasks.
    created = client.post(
        reverse("taskforce-task-list"),
        {"title": "自派任务", "unit": "postal", "due_on": "2026-12-01"},
    )
    assert created.status_code in (400, 403)
    assert Task.objects.count() == 2


def test_admin_change_views(tf, client):
    tf.postal_staff.is_staff = True
    tf.postal_staff.save()
    client.force_login(tf.postal_staff)
    own = reverse("admin:taskforce_task_change", args=[tf.postal_task.pk])
    other = reverse("admin:taskforce_task_change", args=[tf.market_task.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    listing = client.get(reverse("admin:taskforce_task_changelist"))
    assert list(listing.context["cl"].queryset) == [tf.postal_task]


@pytest.mark.parametrize("name", ["secretary_express", "partner"])
def test_other_scopes_see_nothing(tf, world, client, name):
    user = getattr(world, name)
    assert not selectors.tasks_for(user).exists()
    assert_error_format(
        api_client(user).get(reverse("taskforce-task-detail", args=[tf.postal_task.pk])),
        (403, 404),
    )


def test_dashboard_cards_show_what_each_unit_owes(tf, world):
    cards = {c["key"]: c for c in selectors.dashboard_figures(world.staff)}
    assert cards["taskforce_open"]["value"] == 2
    assert cards[f"taskforce_unit_{tf.postal.pk}"]["value"] == 1
    own = {c["key"]: c for c in selectors.dashboard_figures(tf.postal_staff)}
    assert own["taskforce_open"]["value"] == 1
    assert f"taskforce_unit_{tf.market.pk}" not in own


def test_the_board_list_takes_constant_queries(tf, client, django_assert_max_num_queries):
    from .conftest import make_task

    client.force_login(tf.postal_staff)
    client.get(reverse("taskforce:board"))
    for i in range(10):
        make_task(tf.postal, dt.date(2026, 11, 2) + dt.timedelta(days=i), title=f"任务{i}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("taskforce:board")).status_code == 200


def test_a_decision_becomes_one_task_per_unit_or_nothing(tf, world):
    client = api_client(world.staff)
    url = reverse("taskforce-meeting-decide", args=[tf.meeting.pk])
    before = (Task.objects.count(), tf.meeting.decisions.count())
    bad = client.post(
        url, {"text": "建立台账", "units": ["postal", "nope"], "due_on": "2026-11-30"}
    )
    assert bad.status_code == 400 and "units" in bad.json()["fields"]
    assert (Task.objects.count(), tf.meeting.decisions.count()) == before
    ok = client.post(
        url, {"text": "建立台账", "units": ["postal", "market"], "due_on": "2026-11-30"}
    )
    assert ok.status_code == 201, ok.content
    assert sorted(t["unit"] for t in ok.json()) == ["market", "postal"]
    assert tf.meeting.decisions.order_by("number").last().number == 2
    # A member unit's staff cannot decide.
    refused = api_client(tf.postal_staff).post(
        url, {"text": "x", "units": ["postal"], "due_on": "2026-11-30"}
    )
    assert refused.status_code in (403, 404)


def test_a_unit_reports_a_quarter_on_the_measure_page(tf, client):
    client.force_login(tf.postal_staff)
    url = reverse("taskforce:measure_detail", args=[tf.measure.pk]) + "?year=2026"
    from taskforce.models import IndicatorReport

    bad = client.post(url, {"indicator": tf.postal_indicator.pk, "quarter": 1, "actual": "-1"})
    assert bad.status_code == 200 and not IndicatorReport.objects.exists()
    other = client.post(url, {"indicator": tf.market_indicator.pk, "quarter": 1, "actual": "5"})
    assert other.status_code == 200 and not IndicatorReport.objects.exists()
    ok = client.post(url, {"indicator": tf.postal_indicator.pk, "quarter": 1, "actual": "12"})
    assert ok.status_code == 302
    assert IndicatorReport.objects.get().reported_by == tf.postal_staff
