"""The browser face and the admin: scope (404 outside), overdue highlighted with a countdown,
plain POST forms whose refusals come back per field, constant query counts, the dashboard
figures and the inbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appeals import selectors, services
from appeals.choices import Status
from appeals.models import Appeal, AppealEvent, Category, HotSpotAlert, InboxMessage

pytestmark = pytest.mark.django_db


def _file(world, *, actor=None, industry=None, region=None, **extra):
    return services.appeal_create(
        actor=actor or world.staff,
        data={
            "category": Category.objects.get(code="wages"),
            "channel": "station",
            "description": "配送费被扣",
            "industry": industry or world.delivery,
            "region": region or world.street_a,
            **extra,
        },
    )


def _overdue(appeal):
    Appeal.objects.filter(pk=appeal.pk).update(due_at=timezone.now() - dt.timedelta(hours=3))
    appeal.refresh_from_db()
    return appeal


def test_the_board_highlights_overdue_appeals_with_a_countdown(client, world):
    late = _overdue(_file(world))
    fine = _file(world)
    hidden = _file(world, industry=world.express, region=world.district_a)
    client.force_login(world.secretary_delivery)
    page = client.get(reverse("appeals:board")).content.decode()
    assert late.reference in page and fine.reference in page
    assert hidden.reference not in page
    row = page.split(f'data-reference="{late.reference}"')[0].rsplit("<tr", 1)[1]
    assert "appeal-row--overdue" in row
    late_row = page.split(f'data-reference="{late.reference}"')[1].split("</tr>")[0]
    assert (
        "data-countdown" in late_row
        and timezone.localtime(late.due_at).strftime("%Y-%m-%d %H:%M") in late_row
    )
    fine_row = page.split(f'data-reference="{fine.reference}"')[0].rsplit("<tr", 1)[1]
    assert "appeal-row--overdue" not in fine_row


def test_the_board_query_count_does_not_grow(client, world):
    client.force_login(world.staff)
    _file(world)
    client.get(reverse("appeals:board"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("appeals:board"))
    for _ in range(6):
        _overdue(_file(world))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("appeals:board"))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_board_filters_and_export(client, world):
    late = _overdue(_file(world))
    fine = _file(world)
    client.force_login(world.staff)
    page = client.get(reverse("appeals:board"), {"overdue": "true"}).content.decode()
    assert late.reference in page and fine.reference not in page
    export = client.get(reverse("appeals:board"), {"format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_appeal_page_out_of_scope_is_404(client, world):
    hidden = _file(world, industry=world.express, region=world.district_a)
    client.force_login(world.secretary_delivery)
    assert client.get(reverse("appeals:detail", args=[hidden.pk])).status_code == 404
    response = client.post(reverse("appeals:act", args=[hidden.pk, "sign"]), {})
    assert response.status_code == 404


def test_the_appeal_page_shows_the_timeline_and_the_allowed_forms(client, world):
    appeal = _file(world, contact_phone="13912345678")
    client.force_login(world.staff)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="action-dispatch"' in page and 'id="action-close"' not in page
    assert '<label for="id_dispatch-organization"' in page
    assert "139****5678" in page and "13912345678" not in page
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "dispatch"]),
        {"dispatch-organization": world.branch_delivery.pk, "dispatch-note": "请处理"},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "请处理" in page and 'id="action-sign"' in page


def test_a_refused_action_shows_the_field_error_and_changes_nothing(client, world):
    appeal = _file(world)
    appeal = services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.branch_delivery
    )
    appeal = services.appeal_sign(actor=world.staff, appeal=appeal)
    client.force_login(world.staff)
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "extend"]), {"extend-reason": ""}
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.SIGNED and not appeal.extended


def test_a_visit_form_with_a_low_score_reopens(client, world):
    appeal = _file(world)
    appeal = services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.branch_delivery
    )
    appeal = services.appeal_sign(actor=world.staff, appeal=appeal)
    appeal = services.appeal_reply(actor=world.staff, appeal=appeal, reply="已处理")
    appeal = services.appeal_close(actor=world.staff, appeal=appeal)
    client.force_login(world.staff)
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "visit"]), {"visit-score": "2", "visit-note": ""}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.assigned_organization == world.committee_delivery


def test_staff_intake_form_files_and_offers_duplicates(client, world):
    first = _file(world, contact_phone="13700001111")
    client.force_login(world.district_officer)
    page = client.get(reverse("appeals:intake")).content.decode()
    for name in ("category", "description", "contact_phone", "region"):
        assert f'for="id_{name}"' in page
    response = client.post(
        reverse("appeals:intake"),
        {
            "channel": "station",
            "category": Category.objects.get(code="wages").pk,
            "urgency": "normal",
            "description": "在驿站反映：配送费被扣",
            "contact_name": "赵师傅",
            "contact_phone": "13700001111",
            "region": world.district_b.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.exclude(pk=first.pk).get()
    assert appeal.submitted_by == world.district_officer
    client.force_login(world.staff)
    page = client.get(response["Location"]).content.decode()
    assert first.reference in page and "merge-into" in page


def test_staff_intake_refuses_a_region_outside_scope_per_field(client, world):
    client.force_login(world.district_officer)
    response = client.post(
        reverse("appeals:intake"),
        {
            "channel": "station",
            "category": Category.objects.get(code="wages").pk,
            "urgency": "normal",
            "description": "扣款",
            "region": world.district_a.pk,
        },
    )
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_merge_through_the_page(client, world):
    first = _file(world, contact_phone="13700001111")
    second = _file(world, contact_phone="13700001111")
    client.force_login(world.staff)
    response = client.post(
        reverse("appeals:act", args=[second.pk, "merge"]), {"merge-into": first.pk}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.duplicate_of == first and second.status == Status.ARCHIVED


def test_the_inbox_shows_and_marks_read(client, world, django_capture_on_commit_callbacks):
    appeal = _file(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_dispatch(
            actor=world.staff, appeal=appeal, organization=world.branch_delivery
        )
    client.force_login(world.secretary_delivery)
    page = client.get(reverse("appeals:inbox")).content.decode()
    assert appeal.reference in page
    client.force_login(world.secretary_express)
    assert appeal.reference not in client.get(reverse("appeals:inbox")).content.decode()
    client.force_login(world.secretary_delivery)
    client.post(reverse("appeals:inbox"))
    assert InboxMessage.objects.get().read_at is not None


def test_dashboard_figures_in_a_constant_number_of_queries(world, settings):
    settings.APPEALS_HOTSPOT_N = 3  # the three appeals below, one place and category
    reopened = _file(world)
    for step in ("dispatch", "sign", "reply", "close"):
        if step == "dispatch":
            reopened = services.appeal_dispatch(
                actor=world.staff, appeal=reopened, organization=world.branch_delivery
            )
        else:
            reopened = getattr(services, f"appeal_{step}")(
                actor=world.staff, appeal=reopened, **({"reply": "答复"} if step == "reply" else {})
            )
    services.appeal_visit(actor=world.staff, appeal=reopened, score=2)
    late = _overdue(_file(world))
    done = _file(world)
    done = services.appeal_dispatch(
        actor=world.staff, appeal=done, organization=world.branch_delivery
    )
    done = services.appeal_sign(actor=world.staff, appeal=done)
    done = services.appeal_reply(actor=world.staff, appeal=done, reply="已处理")
    done = services.appeal_close(actor=world.staff, appeal=done)
    services.appeal_visit(actor=world.staff, appeal=done, score=5)
    selectors.dashboard_figures(world.staff)  # warm the grants cache
    with CaptureQueriesContext(connection) as queries:
        figures = {f["key"]: f for f in selectors.dashboard_figures(world.staff)}
    assert len(queries.captured_queries) == 2
    assert (
        figures["appeals_hotspots"]["value"] == HotSpotAlert.objects.filter(resolved=False).count()
    )
    assert figures["appeals_open"]["value"] == 2  # the overdue one and the reopened one
    assert figures["appeals_overdue"]["value"] == 1
    assert figures["appeals_solved_month"]["value"] == 1
    # 回访满意率: appeals whose latest visit was satisfied, of the appeals visited (the
    # statistics page's figure): the reopened one (2) and the done one (5).
    assert (
        figures["appeals_visit_satisfaction"]["value"],
        figures["appeals_visit_satisfaction"]["denominator"],
    ) == (1, 2)
    assert set(figures["appeals_open"]) == {"key", "title", "value", "denominator", "url", "note"}
    assert late.reference
    express = {f["key"]: f for f in selectors.dashboard_figures(world.secretary_express)}
    assert express["appeals_open"]["value"] == 0


def test_admin_is_scoped_and_events_are_read_only(client, world):
    mine = _file(world)
    hidden = _file(world, industry=world.express, region=world.district_a)
    client.force_login(world.secretary_delivery)
    page = client.get(reverse("admin:appeals_appeal_changelist")).content.decode()
    assert mine.reference in page and hidden.reference not in page
    assert client.get(reverse("admin:appeals_appeal_change", args=[hidden.pk])).status_code == 404
    event = AppealEvent.objects.filter(appeal=mine).get()
    response = client.post(
        reverse("admin:appeals_appealevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AppealEvent.objects.filter(pk=event.pk).exists()


def test_admin_files_through_the_service(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:appeals_appeal_add"),
        {
            "channel": "in_person",
            "category": Category.objects.get(code="health").pk,
            "urgency": "urgent",
            "description": "骑手中暑求助",
            "contact_name": "",
            "contact_phone": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    appeal = Appeal.objects.get()
    assert appeal.reference and appeal.events.get().kind == "create"


def test_city_staff_run_the_escalation_scan_from_the_board(client, world):
    late = _overdue(_file(world))
    url = reverse("appeals:escalation_scan")
    client.force_login(world.secretary_delivery)
    assert "escalation-scan" not in client.get(reverse("appeals:board")).content.decode()
    assert client.post(url).status_code == 403
    assert AppealEvent.objects.filter(appeal=late, kind="escalate").count() == 0
    client.force_login(world.staff)
    assert 'id="escalation-scan"' in client.get(reverse("appeals:board")).content.decode()
    assert client.post(url).status_code == 302
    late.refresh_from_db()
    assert late.level != "worker" and late.due_at > timezone.now()
    client.post(url)  # a second scan finds nothing new
    assert AppealEvent.objects.filter(appeal=late, kind="escalate").count() == 1
