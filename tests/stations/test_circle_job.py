"""The service-circle job on small known data: coverage per region (every level) and industry,
hot-spot cells, suggested sites; queued from the map page and run by Celery."""

import h3
import pytest
from django.core.exceptions import ValidationError

from core.choices import JobStatus
from core.models import JobRun
from stations import services
from stations.models import HotSpotCell, ServiceCircleSnapshot, SuggestedSite
from tests import factories as f

M_PER_DEG_LAT = 111_195.08


def _north(lat: float, metres: float) -> float:
    return lat + metres / M_PER_DEG_LAT


def _workers(world):
    """Near station B (district B): 3 delivery workers, 1 km away → covered.
    Street A (district A): 2 express workers 1 km from station A → covered.
    Far north of district A: 4 express workers 8 km from any station → uncovered, one cell.
    An inactive worker and one without a location are left out."""
    rows = []
    for n in range(3):
        rows.append(("B", world.district_b, world.delivery, _north(31.78, 1000), 119.92 + n * 1e-4))
    for n in range(2):
        rows.append(("A", world.street_a, world.express, _north(31.78, 1000), 119.97 + n * 1e-4))
    for n in range(4):
        rows.append(("F", world.district_a, world.express, _north(31.78, 8000), 119.97 + n * 1e-4))
    for n, (tag, region, industry, lat, lng) in enumerate(rows):
        f.WorkerFactory(
            external_id=f"{tag}-{n}", region=region, industry=industry, work_lat=lat, work_lng=lng
        )
    f.WorkerFactory(
        external_id="off", region=world.district_b, active=False, work_lat=31.78, work_lng=119.92
    )
    f.WorkerFactory(external_id="nowhere", region=world.district_b)


def _snapshot(job, **kw) -> tuple[int, int]:
    kw.setdefault("region", None)
    kw.setdefault("industry", None)
    row = ServiceCircleSnapshot.objects.get(job=job, **kw)
    return row.numerator, row.denominator


def _run(actor, facility_code: str = "", n_sites: int = 3):
    """Run the task in this process (the queueing path is tested with a real worker below)."""
    from core.jobs import job_create
    from stations import tasks

    job = job_create(
        actor=actor,
        kind=services.CIRCLE_JOB,
        parameters={"facility": facility_code, "n_sites": n_sites},
    )
    tasks.run_service_circle.apply(args=[job.pk])
    job.refresh_from_db()
    return job


def test_service_circle_numbers(world, placed):
    _workers(world)
    job = _run(world.staff, n_sites=3)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["workers"] == 9 and job.result["covered"] == 5
    assert _snapshot(job, region=world.city) == (5, 9)
    assert _snapshot(job, region=world.district_a) == (2, 6)
    assert _snapshot(job, region=world.street_a) == (2, 2)
    assert _snapshot(job, region=world.district_b) == (3, 3)
    assert _snapshot(job, industry=world.express) == (2, 6)
    assert _snapshot(job, industry=world.delivery) == (3, 3)
    # Region × industry rows: an industry's figures in each region.
    assert _snapshot(job, region=world.city, industry=world.express) == (2, 6)
    assert _snapshot(job, region=world.district_a, industry=world.express) == (2, 6)
    cells = list(HotSpotCell.objects.filter(job=job, industry=None))
    assert [(c.workers, c.region) for c in cells] == [(4, world.district_a)]
    expected_cell = h3.latlng_to_cell(_north(31.78, 8000), 119.97, 8)
    assert cells[0].cell == expected_cell
    sites = list(SuggestedSite.objects.filter(job=job, industry=None))
    # One site covers all four; no second site is worth suggesting.
    assert [(s.rank, s.newly_covered, s.cell) for s in sites] == [(1, 4, expected_cell)]
    # Each industry's layer over its own uncovered workers: the four are express workers;
    # every delivery worker is covered.
    express = HotSpotCell.objects.filter(job=job, industry=world.express)
    assert [(c.cell, c.workers) for c in express] == [(expected_cell, 4)]
    assert not HotSpotCell.objects.filter(job=job, industry=world.delivery).exists()
    assert SuggestedSite.objects.filter(job=job, industry=world.express).count() == 1
    assert not SuggestedSite.objects.filter(job=job, industry=world.delivery).exists()


def test_each_role_sees_the_hot_spots_of_its_scope_on_the_map(world, placed):
    """Industry committee secretaries saw no hot spot at all (the cells carried a region only):
    each now sees its industry's layer; staff and district officers the layer of every worker
    in their region."""
    from stations.selectors import circle_layers_for

    _workers(world)
    job = _run(world.staff, n_sites=3)
    expected_cell = h3.latlng_to_cell(_north(31.78, 8000), 119.97, 8)

    def layer(user):
        data = circle_layers_for(user, job)
        return [(c["cell"], c["workers"]) for c in data["cells"]], len(data["sites"])

    assert layer(world.staff) == ([(expected_cell, 4)], 1)
    assert layer(world.secretary_express) == ([(expected_cell, 4)], 1)
    assert layer(world.secretary_delivery) == ([], 0)  # its workers are all covered
    assert layer(world.district_officer) == ([], 0)  # district B: the cell is in district A


def test_service_circle_for_a_facility(world, placed):
    _workers(world)
    # Only station A has a first-aid kit: the workers near station B are then uncovered.
    job = _run(world.staff, facility_code="first_aid", n_sites=0)
    assert _snapshot(job, region=world.city) == (2, 9)
    assert _snapshot(job, region=world.district_b) == (0, 3)
    assert not SuggestedSite.objects.filter(job=job).exists()


def test_only_city_wide_staff_run_it(client, world, placed):
    client.force_login(world.district_officer)
    response = client.post("/stations/map/run/", follow=True)
    assert response.status_code == 200
    assert not JobRun.objects.filter(kind=services.CIRCLE_JOB).exists()
    with pytest.raises(ValidationError):
        services.service_circle_queue(actor=world.secretary_delivery)


def test_the_same_job_run_twice_replaces_its_rows(world, placed):
    from stations import tasks

    _workers(world)
    job = _run(world.staff, n_sites=3)
    before = ServiceCircleSnapshot.objects.filter(job=job).count()
    tasks.run_service_circle.apply(args=[job.pk])
    assert ServiceCircleSnapshot.objects.filter(job=job).count() == before
    assert HotSpotCell.objects.filter(job=job, industry=None).count() == 1
    assert HotSpotCell.objects.filter(job=job).count() == 2  # and the express layer's


@pytest.mark.worker
def test_the_map_button_queues_the_job_for_the_worker(client, task_runner, world, catalogue):
    from stations.models import Station

    Station.objects.create(
        name="驿站",
        kind="red_station",
        host_enterprise=world.ent_delivery_b,
        region=world.district_b,
        address="x",
        latitude=31.78,
        longitude=119.92,
    )
    f.WorkerFactory(external_id="w1", region=world.district_b, work_lat=31.781, work_lng=119.92)
    client.force_login(world.staff)
    response = client.post("/stations/map/run/")
    assert response.status_code == 302
    job = JobRun.objects.get(kind=services.CIRCLE_JOB)
    import time

    for _ in range(200):
        job.refresh_from_db()
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            break
        time.sleep(0.05)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["covered"] == 1
    page = client.get("/stations/map/")
    assert page.context["job"] == job


def test_a_secretary_sees_the_circle_figures_of_their_scope(client, world, placed):
    """The delivery committee's secretary sees their industry's share in their region, not the
    city's all-industry figures; city staff see the all-industry rows."""
    _workers(world)
    _run(world.staff, n_sites=0)
    client.force_login(world.secretary_delivery)
    shares = client.get("/stations/map/").context["shares"]
    assert shares and {r.industry for r in shares} == {world.delivery}
    assert (shares[0].region, shares[0].numerator, shares[0].denominator) == (
        world.city,
        3,
        3,
    )
    client.force_login(world.staff)
    shares = client.get("/stations/map/").context["shares"]
    assert {r.industry for r in shares} == {None}
    assert (shares[0].numerator, shares[0].denominator) == (5, 9)


def test_the_map_names_the_streets_of_its_scope(client, world, placed):
    """Street names sit at the centre of their stations (streets have no packaged outlines);
    a district officer gets only their district's streets."""
    client.force_login(world.staff)
    streets = client.get("/stations/map/").context["layers"]["streets"]
    assert [(s["code"], s["name"]) for s in streets] == [(world.street_a.code, world.street_a.name)]
    assert (streets[0]["lat"], streets[0]["lng"]) == (31.78, 119.97)
    client.force_login(world.district_officer)
    assert client.get("/stations/map/").context["layers"]["streets"] == []
