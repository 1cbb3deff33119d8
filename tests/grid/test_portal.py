"""The publishers' pages: board, ledger (xlsx), verification queue (verify from the page),
campaign dashboard with an xlsx upload; scope (404 outside)."""

import io

from django.urls import reverse
from openpyxl import Workbook

from grid import services
from grid.models import Task

from .conftest import HERE, JPEG, publish


def _login(client, user):
    client.force_login(user)
    return client


def _submitted(world, grid):
    task = publish(world.staff, world, points=12)
    claim = services.task_claim(actor=world.staff, task=task, volunteer=grid.v_delivery)
    return services.proof_submit(
        actor=world.staff, claim=claim, lat=HERE[0] + 0.01, lng=HERE[1], photo=JPEG
    )


def test_board_ledger_and_exports(client, world, grid):
    publish(world.staff, world)
    c = _login(client, world.staff)
    r = c.get(reverse("grid:board"))
    assert r.status_code == 200 and "为独居老人送药" in r.content.decode()
    r = c.get(reverse("grid:board"), {"format": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert c.get(reverse("grid:ledger"), {"format": "xlsx"}).status_code == 200
    officer = _login(client.__class__(), world.district_officer)
    assert "为独居老人送药" not in officer.get(reverse("grid:board")).content.decode()


def test_queue_shows_flags_and_verifies(client, world, grid):
    claim = _submitted(world, grid)
    c = _login(client, world.staff)
    page = c.get(reverse("grid:queue")).content.decode()
    assert claim.task.title in page and reverse("grid:photo", args=[claim.pk]) in page
    assert c.get(reverse("grid:photo", args=[claim.pk]))["Content-Type"] == "image/jpeg"
    officer = _login(client.__class__(), world.district_officer)
    assert officer.get(reverse("grid:photo", args=[claim.pk])).status_code == 404
    assert (
        officer.post(reverse("grid:decide", args=[claim.pk]), {"decision": "verify"}).status_code
        == 404
    )
    r = c.post(reverse("grid:decide", args=[claim.pk]), {"decision": "verify"})
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "verified"


def test_campaign_dashboard_publishes_from_xlsx(client, world, grid):
    campaign = services.campaign_open(
        actor=world.staff, data={"name": "守望相助", "region": world.city, "target_volunteers": 50}
    )
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["标题", "地点", "纬度", "经度", "开始时间", "结束时间", "人数", "积分", "区划代码"]
    )
    sheet.append(
        [
            "送物资",
            "某小区",
            HERE[0],
            HERE[1],
            "2030-01-01 08:00",
            "2030-01-01 12:00",
            2,
            5,
            world.street_a.code,
        ]
    )
    sheet.append(
        ["坏行", "某小区", "北纬", HERE[1], "2030-01-01 08:00", "2030-01-01 12:00", 2, 5, ""]
    )
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "tasks.xlsx"
    c = _login(client, world.staff)
    r = c.post(reverse("grid:campaign", args=[campaign.pk]), {"file": buf})
    assert r.status_code == 200
    body = r.content.decode()
    assert Task.objects.filter(campaign=campaign).count() == 1
    assert "lat" in body  # the bad row is reported
    r = c.get(reverse("grid:campaign", args=[campaign.pk]))
    assert "天宁区" in r.content.decode()
    officer = _login(client.__class__(), world.district_officer)
    assert officer.get(reverse("grid:campaign", args=[campaign.pk])).status_code == 404


def test_dashboard_cards(world, grid):
    from grid.selectors import dashboard_figures

    _submitted(world, grid)
    cards = {c["key"]: c["value"] for c in dashboard_figures(world.staff)}
    assert cards["grid_volunteers"] == 3
    assert cards["grid_proof_waiting"] == 1


def test_map_shows_open_tasks_in_scope(client, world, grid):
    publish(world.staff, world)
    c = _login(client, world.staff)
    r = c.get(reverse("grid:map"))
    assert r.status_code == 200 and r.context["count"] == 1
    officer = _login(client.__class__(), world.district_officer)
    assert officer.get(reverse("grid:map")).context["count"] == 0


def test_points_page_adjusts_and_redeems_with_field_errors(client, world, grid):
    from grid.models import PointsEntry, RewardItem

    item = RewardItem.objects.create(station=grid.station, name="矿泉水", cost=10, stock=1)
    c = _login(client, world.staff)
    assert c.get(reverse("grid:points")).status_code == 200
    r = c.post(
        reverse("grid:points"),
        {"redeem-volunteer": grid.v_delivery.pk, "redeem-item": item.pk, "redeem-quantity": 1},
    )
    assert r.status_code == 400
    assert r.context["redeem"].non_field_errors()  # the balance is short: said on the form
    assert not PointsEntry.objects.exists()
    r = c.post(
        reverse("grid:points"),
        {"adjust-volunteer": grid.v_delivery.pk, "adjust-points": 15, "adjust-reason": "补录"},
    )
    assert r.status_code == 302
    r = c.post(
        reverse("grid:points"),
        {"redeem-volunteer": grid.v_delivery.pk, "redeem-item": item.pk, "redeem-quantity": 1},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    grid.v_delivery.account.refresh_from_db()
    assert (item.stock, grid.v_delivery.account.balance) == (0, 5)
