"""The instructors API filters with the model's one FilterSet (``organizations.filtersets``):
one test per filter of ``InstructorFilterSet`` and ``InstructorAssignmentFilterSet``."""

import pytest

from organizations import filtersets
from organizations.api import views
from tests import factories as f
from tests.base import api_client


def test_the_api_uses_the_models_filtersets():
    assert views.InstructorViewSet.filterset_class is filtersets.InstructorFilterSet
    assert (
        views.InstructorAssignmentViewSet.filterset_class
        is filtersets.InstructorAssignmentFilterSet
    )


@pytest.fixture
def instructors(world):
    a = f.InstructorFactory(
        organization=world.branch_delivery, department=f.DepartmentFactory(), active=True
    )
    b = f.InstructorFactory(
        organization=world.branch_express, department=f.DepartmentFactory(), active=False
    )
    return {"a": a, "b": b}


@pytest.mark.parametrize(
    ("key", "expected"), [("organization", "b"), ("department", "a"), ("active", "b")]
)
def test_instructor_filter(world, instructors, key, expected):
    value = {
        "organization": world.branch_express.pk,
        "department": instructors["a"].department_id,
        "active": "false",
    }[key]
    response = api_client(world.staff).get("/api/v1/instructors/", {key: value})
    assert response.status_code == 200, response.content
    assert [r["id"] for r in response.json()["results"]] == [instructors[expected].pk]


@pytest.mark.parametrize(("key", "expected"), [("instructor", "a"), ("enterprise", "b")])
def test_instructor_assignment_filter(world, instructors, key, expected):
    assignments = {
        "a": f.InstructorAssignmentFactory(
            instructor=instructors["a"], enterprise=world.ent_delivery_a
        ),
        "b": f.InstructorAssignmentFactory(
            instructor=instructors["b"], enterprise=world.ent_delivery_b
        ),
    }
    value = {"instructor": instructors["a"].pk, "enterprise": world.ent_delivery_b.pk}[key]
    response = api_client(world.staff).get("/api/v1/instructor-assignments/", {key: value})
    assert response.status_code == 200, response.content
    assert [r["id"] for r in response.json()["results"]] == [assignments[expected].pk]
