"""The enrollments endpoint through the shared API suite: scoped list and detail (out of scope
answers 404), create and withdraw through the services with an audit row, field-level 400s that
write nothing, and a list whose query count does not grow with its rows. An enrollment is never
edited: a PATCH answers 405 and writes nothing."""

from __future__ import annotations

from tests import factories as f
from tests.base import APICRUDSuite
from training import services

from .helpers import make_class


class TestEnrollmentsAPI(APICRUDSuite):
    basename = "training-enrollment"
    user = "secretary_delivery"
    bad_fields = ("training_class", "worker")
    updatable = False

    def _class(self, world):
        """The delivery branch's class, and references outside the secretary's scope to be
        refused: the express committee's worker and its finished class (any *open* class
        takes enrollments from everybody, by design: partner apps enroll riders in them)."""
        if getattr(self, "_tc", None) is None:
            self._tc = make_class(world, world.branch_delivery, capacity=100)
            make_class(world, world.committee_express, world.district_b, status="finished")
            f.WorkerFactory(industry=world.express, region=world.district_b)
        return self._tc

    def _worker(self, world):
        return f.WorkerFactory(industry=world.delivery, region=world.street_a)

    def make_visible(self, world):
        return services.enrollment_create(
            actor=world.staff,
            data={"training_class": self._class(world), "worker": self._worker(world)},
        )

    def make_invisible(self, world):
        other = make_class(world, world.committee_express, world.district_b)
        worker = f.WorkerFactory(industry=world.express, region=world.district_b)
        return services.enrollment_create(
            actor=world.staff, data={"training_class": other, "worker": worker}
        )

    def create_payload(self, world):
        return {"training_class": self._class(world).pk, "worker": self._worker(world).pk}

    def bad_payload(self, world):
        return {"training_class": 987_654_321, "worker": 987_654_321}
