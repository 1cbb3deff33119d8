"""The coverage API: scoped rows with numerators and denominators, filters, trend, queuing."""

import datetime as dt

import pytest
from django.utils import timezone

from core.choices import JobStatus
from coverage import services
from coverage.models import CoverageSnapshot
from organizations.models import Enterprise
from tests.base import api_client, assert_error_format, ids_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/coverage/"
TODAY = timezone.localdate()
TODAY_FOLLOWS_THE_CLOCK = True  # reset before each test (tests/conftest.py)


@pytest.fixture
def snapshot(world, people, coverage_data):
    services.snapshot_day(day=TODAY)


def _rows(response):
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def test_city_row_with_rates_as_numerator_and_denominator(world, snapshot):
    rows = _rows(
        api_client(world.staff).get(
            URL, {"date": TODAY.isoformat(), "region": "320400", "all_industries": "true"}
        )
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row["region"], row["industry"], row["enterprises"]) == ("320400", None, 6)
    assert row["rates"]["organization_coverage"] == {
        "numerator": 3,
        "denominator": 6,
        "rate": 0.5,
    }
    assert row["rates"]["shuangyou"]["numerator"] == 4
    industry_rows = _rows(
        api_client(world.staff).get(URL, {"region": "320400", "industry": "express"})
    )
    assert [(r["industry"], r["enterprises"]) for r in industry_rows] == [("express", 2)]


def test_secretary_sees_only_their_industry_rows(world, snapshot):
    rows = _rows(api_client(world.secretary_delivery).get(URL, {"page_size": 1000}))
    assert rows and {r["industry"] for r in rows} == {"food_delivery"}
    visible = CoverageSnapshot.objects.filter(industry=world.delivery).count()
    assert len(rows) == visible
    # Another industry's row, or an all-industry row, answers 404.
    express = CoverageSnapshot.objects.filter(industry=world.express).first()
    city_all = CoverageSnapshot.objects.get(region=world.city, industry=None)
    for row in (express, city_all):
        assert api_client(world.secretary_delivery).get(f"{URL}{row.pk}/").status_code == 404


def test_district_officer_sees_their_district_with_all_industry_rows(world, snapshot):
    rows = _rows(api_client(world.district_officer).get(URL, {"page_size": 1000}))
    regions = {r["region"] for r in rows}
    assert regions == {world.district_b.code, "320404101"}
    assert None in {r["industry"] for r in rows}


def test_partner_reads_no_coverage(world, snapshot):
    response = api_client(world.partner).get(URL)
    assert_error_format(response, (403, 404))


def test_bad_filter_is_a_field_error(world, snapshot):
    body = assert_error_format(api_client(world.staff).get(URL, {"date": "2026-13-40"}), 400)
    assert "date" in body["fields"]


def test_trend_gives_the_series_of_one_region(world, people, coverage_data):
    now = timezone.now()
    Enterprise.objects.update(created_at=now - dt.timedelta(days=100))
    Enterprise.objects.filter(pk=coverage_data.ent_work.pk).update(
        created_at=now - dt.timedelta(days=2)
    )
    services.backfill(start=TODAY - dt.timedelta(days=4), end=TODAY)
    response = api_client(world.secretary_delivery).get(
        f"{URL}trend/", {"region": world.street_a.code}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["region"] == world.street_a.code
    points = body["points"]
    assert [p["day"] for p in points] == [
        (TODAY - dt.timedelta(days=n)).isoformat() for n in range(4, -1, -1)
    ]
    # The liaison-only station appears two days ago: 1 of 1 covered, then 2 of 2.
    shuangyou = [
        (p["rates"]["shuangyou"]["numerator"], p["rates"]["shuangyou"]["denominator"])
        for p in points
    ]
    assert shuangyou == [(1, 1), (1, 1), (2, 2), (2, 2), (2, 2)]
    ranged = api_client(world.staff).get(
        f"{URL}trend/",
        {"region": world.street_a.code, "date_from": (TODAY - dt.timedelta(days=1)).isoformat()},
    )
    assert len(ranged.json()["points"]) == 2
    bad = api_client(world.staff).get(
        f"{URL}trend/", {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert "date_to" in assert_error_format(bad, 400)["fields"]


def test_staff_queue_a_rollup_and_read_its_job(
    world, people, coverage_data, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(world.staff).post(f"{URL}rollups/", {})
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["kind"] == "coverage.rollup_day"
    status = api_client(world.staff).get(f"{URL}jobs/{job['id']}/")
    assert status.status_code == 200
    # Eager here: the job has run by the time the answer is read.
    assert status.json()["status"] == JobStatus.SUCCEEDED
    assert status.json()["result"]["rows"] == CoverageSnapshot.objects.filter(day=TODAY).count()
    # Someone else's job is not disclosed to a user who cannot recompute.
    other = api_client(world.secretary_delivery).get(f"{URL}jobs/{job['id']}/")
    assert other.status_code == 404


def test_secretary_cannot_queue_a_rollup(world, snapshot):
    response = api_client(world.secretary_delivery).post(f"{URL}rollups/", {})
    assert_error_format(response, 403)


def test_backfill_request_is_validated_and_queued(
    world, people, coverage_data, django_capture_on_commit_callbacks, eager_tasks
):
    bad = api_client(world.staff).post(
        f"{URL}backfills/", {"start": "2026-05-02", "end": "2026-05-01"}
    )
    assert "end" in assert_error_format(bad, 400)["fields"]
    Enterprise.objects.update(created_at=timezone.now() - dt.timedelta(days=100))
    start = TODAY - dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(world.staff).post(
            f"{URL}backfills/", {"start": start.isoformat(), "end": TODAY.isoformat()}
        )
    assert response.status_code == 202
    assert sorted(set(CoverageSnapshot.objects.values_list("day", flat=True))) == [
        start + dt.timedelta(days=n) for n in range(3)
    ]


def test_list_query_count_does_not_grow(world, snapshot, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        ids = ids_of(api_client(world.staff).get(URL, {"page_size": 1000}))
    assert len(ids) == CoverageSnapshot.objects.count()


def test_schema_documents_the_coverage_endpoints(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for path in ("/api/v1/coverage/", "/api/v1/coverage/trend/", "/api/v1/coverage/rollups/"):
        assert path in schema["paths"], path
