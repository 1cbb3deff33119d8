"""Every inline of the stations admin writes through the services: a change made in the admin
leaves its audit row (and a higher stock quantity its restock record), and the groups served
(a many-to-many field) are audited too."""

from django.contrib.contenttypes.models import ContentType

from core.models import AuditEvent
from stations.models import CabinetStock, MedicineCabinet, OpeningHours, Station, StationFacility
from tests.admin_forms import add_row, change_form_data


def _audited(model, **filters) -> bool:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), **filters
    ).exists()


def _post(client, url: str, change) -> None:
    data = change_form_data(client.get(url))
    change(data)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset.forms
    ]


def test_station_inlines_write_through_services(client, world, placed, catalogue):
    station = placed.station_b
    client.force_login(world.district_officer)
    url = f"/admin/stations/station/{station.pk}/change/"

    def change(data):
        add_row(data, "facility_rows", {"facility": catalogue["first_aid"].pk, "note": "新增"})
        add_row(data, "opening_hours", {"weekday": 0, "opens": "08:00", "closes": "09:00"})
        add_row(data, "cabinets", {"code": "MC-B-9", "is_24h": "on", "active": "on"})
        data["industries"] = [world.delivery.pk]

    _post(client, url, change)
    row = StationFacility.objects.get(station=station, facility=catalogue["first_aid"])
    assert _audited(StationFacility, object_id=str(row.pk), action="create")
    assert Station.objects.get(pk=station.pk).compliant  # the verdict was re-derived
    hours = OpeningHours.objects.get(station=station, opens="08:00")
    assert _audited(OpeningHours, object_id=str(hours.pk), action="create")
    cabinet = MedicineCabinet.objects.get(code="MC-B-9")
    assert _audited(MedicineCabinet, object_id=str(cabinet.pk), action="create")
    m2m = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Station),
        object_id=str(station.pk),
        verb="set_industries",
    )
    assert m2m.changes["industries"] == [[], [world.delivery.pk]]

    def remove_facility(data):
        for key, value in list(data.items()):
            if key.startswith("facility_rows-") and key.endswith("-id") and value == row.pk:
                data[key.replace("-id", "-DELETE")] = "on"

    _post(client, url, remove_facility)
    assert not StationFacility.objects.filter(pk=row.pk).exists()
    assert _audited(StationFacility, object_id=str(row.pk), action="delete")
    assert not Station.objects.get(pk=station.pk).compliant


def test_stock_inline_edit_writes_the_restock_record(client, world, placed):
    cabinet = MedicineCabinet.objects.create(station=placed.station_b, code="MC-B-1")
    stock = CabinetStock.objects.create(cabinet=cabinet, name="创可贴", quantity=2, threshold=10)
    client.force_login(world.district_officer)
    url = f"/admin/stations/medicinecabinet/{cabinet.pk}/change/"

    def change(data):
        data["stock-0-quantity"] = 12
        data["stock-0-threshold"] = 8

    _post(client, url, change)
    stock.refresh_from_db()
    assert (stock.quantity, stock.threshold) == (12, 8)
    restock = stock.restocks.get()
    assert restock.quantity == 10 and restock.by == world.district_officer
    assert _audited(CabinetStock, object_id=str(stock.pk), action="update")


def test_bad_inline_row_is_a_row_error_and_writes_nothing(client, world, placed):
    client.force_login(world.district_officer)
    url = f"/admin/stations/station/{placed.station_b.pk}/change/"
    data = change_form_data(client.get(url))
    add_row(data, "opening_hours", {"weekday": 1, "opens": "25:00", "closes": "20:00"})
    before = AuditEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the row's error
    assert not OpeningHours.objects.filter(station=placed.station_b, weekday=1, closes="20:00")
    assert AuditEvent.objects.count() == before
