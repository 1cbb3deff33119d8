"""The stations and medicine-cabinet endpoints through the shared API suite: scoped list and
detail (out of scope answers 404), writes through the services with an audit row, field-level
400s that write nothing, and a list whose query count does not grow with its rows. The district
officer of district B acts: district A's stations are outside their scope."""

from __future__ import annotations

import itertools

from stations import services
from tests.base import APICRUDSuite

_n = itertools.count(1)


def make_station(world, *, region=None, host=None):
    """A station in district B (or ``region``), made by the city-wide staff."""
    return services.station_create(
        actor=world.staff,
        data={
            "name": f"红色驿站{next(_n)}",
            "kind": "red_station",
            "host_enterprise": host or world.ent_delivery_b,
            "region": region or world.district_b,
            "address": "钟楼区西林路8号",
            "latitude": 31.78,
            "longitude": 119.92,
        },
    )


class TestStationsAPI(APICRUDSuite):
    basename = "station"
    user = "district_officer"
    bad_fields = ("kind", "region", "latitude")

    def make_visible(self, world):
        return make_station(world)

    def make_invisible(self, world):
        return make_station(world, region=world.street_a, host=world.ent_delivery_a)

    def create_payload(self, world):
        return {
            "name": "西林红色驿站",
            "kind": "red_station",
            "host_enterprise": world.ent_delivery_b.pk,
            "region": world.district_b.code,
            "address": "钟楼区西林路9号",
            "latitude": 31.781,
            "longitude": 119.921,
        }

    def update_payload(self, world):
        return {"name": "西林红色驿站（新址）"}

    def bad_payload(self, world):
        return {
            "name": "越界驿站",
            "kind": "karaoke",
            "region": "000000",
            "address": "某路",
            "latitude": 200,
            "longitude": 119.92,
        }


class TestMedicineCabinetsAPI(APICRUDSuite):
    basename = "medicine-cabinet"
    user = "district_officer"
    bad_fields = ("station", "code")

    def _station(self, world):
        """The station of district B the cabinets hang on (and one in district A, so that a
        station outside the officer's scope exists to be refused as a reference)."""
        if getattr(self, "_station_b", None) is None:
            self._station_b = make_station(world)
            make_station(world, region=world.street_a, host=world.ent_delivery_a)
        return self._station_b

    def make_visible(self, world):
        return services.cabinet_create(
            actor=world.staff,
            data={"station": self._station(world), "code": f"cab-b-{next(_n)}"},
        )

    def make_invisible(self, world):
        station = make_station(world, region=world.street_a, host=world.ent_delivery_a)
        return services.cabinet_create(
            actor=world.staff, data={"station": station, "code": f"cab-a-{next(_n)}"}
        )

    def create_payload(self, world):
        return {"station": self._station(world).pk, "code": f"cab-new-{next(_n)}", "is_24h": True}

    def update_payload(self, world):
        return {"active": False}

    def bad_payload(self, world):
        return {"station": 987_654_321, "code": "not a code!"}
