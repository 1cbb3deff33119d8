"""Shared fixtures: a small city with two industry committees, a district officer and a
partner, so every face's scope tests use the same world."""

from dataclasses import dataclass
from typing import Any

import pytest

from organizations.choices import (
    EnterpriseKind,
    GrantKind,
    OrganizationBasis,
    OrganizationKind,
    RegionLevel,
)
from organizations.roles import (
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    PARTNER_SYSTEM,
)

from . import factories as f


def _flush_by_delete():
    """After each transactional test Django empties every table with one ``TRUNCATE`` of all
    ~140 tables, which costs PostgreSQL about 5 s (new files for every table and index) even
    when they are empty — most of the PostgreSQL run's time. ``DELETE FROM`` each table, the
    foreign keys checked at commit (Django creates them ``DEFERRABLE INITIALLY DEFERRED``), empties
    the same tables in a fraction of a second. Sequences are still reset by ``TRUNCATE`` when a
    test asks for it."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"DELETE FROM {self.quote_name(table)}" for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush


_flush_by_delete()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as pytest-django sets it up; at the end of the session, any session
    still connected to it (a thread's or a killed worker's) is named on stderr and ended, so the
    database can be dropped (PostgreSQL refuses to drop a database in use)."""
    yield
    import sys

    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 200) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for pid, app, state, query in cursor.fetchall():
            print(f"\nstill connected at the end: {pid} {app!r} {state}: {query}", file=sys.stderr)
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def private_storage(settings, tmp_path):
    """The private storage (uploaded photos and files) in a throwaway folder; its path."""
    storages = dict(settings.STORAGES)
    storages["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private")},
    }
    settings.STORAGES = storages
    return tmp_path / "private"


@pytest.fixture(autouse=True)
def _today_of_the_run(request):
    """A module that names the day ``TODAY`` and sets ``TODAY_FOLLOWS_THE_CLOCK = True`` gets the
    date (Asia/Shanghai) each test runs on, not the one it was collected on: a run crossing
    midnight in Shanghai (16:00 UTC) compared yesterday's snapshot with today's data."""
    module = request.module
    if getattr(module, "TODAY_FOLLOWS_THE_CLOCK", False):
        from django.utils import timezone

        module.TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Real hashers cost ~0.3 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages and figures are keyed by scope, and
    another test's data must not answer for this one's."""
    from django.core.cache import cache

    from core import authcache

    cache.clear()
    authcache.clear_local()  # the per-process cache of who a request is
    yield


@dataclass
class World:
    city: Any
    district_a: Any
    district_b: Any
    street_a: Any
    delivery: Any
    express: Any
    working_committee: Any
    committee_delivery: Any
    committee_express: Any
    branch_delivery: Any
    branch_express: Any
    platform: Any
    ent_delivery_a: Any  # delivery, district A, covered by the delivery branch
    ent_delivery_b: Any  # delivery, district B, uncovered
    ent_express_a: Any  # express, district A, covered by the express branch
    staff: Any
    secretary_delivery: Any
    secretary_express: Any
    district_officer: Any
    partner: Any


@pytest.fixture
def world(db) -> World:
    city = f.RegionFactory(code="320400", name="常州市", level=RegionLevel.CITY)
    district_a = f.RegionFactory(code="320402", name="天宁区", parent=city)
    district_b = f.RegionFactory(code="320404", name="钟楼区", parent=city)
    street_a = f.RegionFactory(
        code="320402001", name="雕庄街道", parent=district_a, level=RegionLevel.STREET
    )
    delivery = f.IndustryFactory(code="food_delivery", name="外卖送餐")
    express = f.IndustryFactory(code="express", name="快递")
    wc = f.PartyOrganizationFactory(
        code="wc",
        name="两新工委",
        kind=OrganizationKind.WORKING_COMMITTEE,
        basis=OrganizationBasis.REGIONAL,
        region=city,
    )
    committee_delivery = f.PartyOrganizationFactory(
        code="ic-delivery",
        name="外卖行业党委",
        kind=OrganizationKind.INDUSTRY_COMMITTEE,
        basis=OrganizationBasis.INDUSTRY,
        industry=delivery,
        region=city,
        parent=wc,
    )
    committee_express = f.PartyOrganizationFactory(
        code="ic-express",
        name="快递行业党委",
        kind=OrganizationKind.INDUSTRY_COMMITTEE,
        basis=OrganizationBasis.INDUSTRY,
        industry=express,
        region=city,
        parent=wc,
    )
    branch_delivery = f.PartyOrganizationFactory(
        code="br-delivery",
        name="外卖联合党支部",
        kind=OrganizationKind.JOINT_BRANCH,
        basis=OrganizationBasis.JOINT,
        industry=delivery,
        region=district_a,
        parent=committee_delivery,
    )
    branch_express = f.PartyOrganizationFactory(
        code="br-express",
        name="快递联合党支部",
        kind=OrganizationKind.JOINT_BRANCH,
        basis=OrganizationBasis.JOINT,
        industry=express,
        region=district_a,
        parent=committee_express,
    )
    platform = f.EnterpriseFactory(
        name="美团", kind=EnterpriseKind.PLATFORM_HQ, industry=delivery, region=city
    )
    ent_delivery_a = f.EnterpriseFactory(
        name="天宁美团站",
        industry=delivery,
        region=street_a,
        platform=platform,
        party_organization=branch_delivery,
    )
    ent_delivery_b = f.EnterpriseFactory(name="钟楼外卖站", industry=delivery, region=district_b)
    ent_express_a = f.EnterpriseFactory(
        name="天宁快递网点",
        industry=express,
        region=district_a,
        party_organization=branch_express,
    )
    from organizations.services import enterprises_refresh_coverage

    enterprises_refresh_coverage()
    for enterprise in (platform, ent_delivery_a, ent_delivery_b, ent_express_a):
        enterprise.refresh_from_db()

    staff = f.UserFactory(username="staff", groups=[DEPARTMENT_STAFF])
    f.grant(staff, GrantKind.CITY)
    secretary_delivery = f.UserFactory(username="sec_delivery", groups=[INDUSTRY_SECRETARY])
    f.grant(secretary_delivery, GrantKind.ORGANIZATION, organization=committee_delivery)
    secretary_express = f.UserFactory(username="sec_express", groups=[INDUSTRY_SECRETARY])
    f.grant(secretary_express, GrantKind.ORGANIZATION, organization=committee_express)
    district_officer = f.UserFactory(username="officer_b", groups=[DISTRICT_OFFICER])
    f.grant(district_officer, GrantKind.REGION, region=district_b)
    partner = f.UserFactory(username="partner_meituan", is_staff=False, groups=[PARTNER_SYSTEM])
    f.grant(partner, GrantKind.PARTNER, platform=platform)
    return World(
        city=city,
        district_a=district_a,
        district_b=district_b,
        street_a=street_a,
        delivery=delivery,
        express=express,
        working_committee=wc,
        committee_delivery=committee_delivery,
        committee_express=committee_express,
        branch_delivery=branch_delivery,
        branch_express=branch_express,
        platform=platform,
        ent_delivery_a=ent_delivery_a,
        ent_delivery_b=ent_delivery_b,
        ent_express_a=ent_express_a,
        staff=staff,
        secretary_delivery=secretary_delivery,
        secretary_express=secretary_express,
        district_officer=district_officer,
        partner=partner,
    )


@dataclass
class People:
    """Workers and members placed in the world: each secretary has one worker and one member
    in scope, and none of the other committee's."""

    worker_delivery: Any  # 美团 rider, delivery industry, street A, covered enterprise
    worker_delivery_b: Any  # delivery rider in district B, uncovered enterprise, no platform
    worker_express: Any  # courier, express industry, district A
    member_delivery: Any  # relation held by the delivery joint branch
    member_express: Any  # relation held by the express joint branch
    mobile_member: Any  # relation elsewhere, hosted by the delivery branch


@pytest.fixture
def people(world) -> People:
    from members.choices import PoliticalStatus

    return People(
        worker_delivery=f.WorkerFactory(
            source="meituan",
            external_id="MT-0001",
            name="张伟",
            industry=world.delivery,
            region=world.street_a,
            enterprise=world.ent_delivery_a,
            platform=world.platform,
            political_status=PoliticalStatus.FULL,
        ),
        worker_delivery_b=f.WorkerFactory(
            source="survey-2026",
            external_id="SV-0001",
            name="王芳",
            industry=world.delivery,
            region=world.district_b,
            enterprise=world.ent_delivery_b,
        ),
        worker_express=f.WorkerFactory(
            source="sf-express",
            external_id="SF-0001",
            name="李强",
            industry=world.express,
            region=world.district_a,
            enterprise=world.ent_express_a,
        ),
        member_delivery=f.PartyMemberFactory(
            member_id="M-D-01", name="赵磊", organization=world.branch_delivery
        ),
        member_express=f.PartyMemberFactory(
            member_id="M-E-01", name="钱敏", organization=world.branch_express
        ),
        mobile_member=f.PartyMemberFactory(
            member_id="M-X-01",
            name="孙杰",
            is_mobile=True,
            home_organization_name="安徽省阜阳市某村党支部",
            host_organization=world.branch_delivery,
        ),
    )


# --- Celery ------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _isolated_celery_queue():
    """With a real broker, each test session uses its own queue so stale messages from other
    runs on the same Redis are never consumed (and ours never linger for them)."""
    import uuid

    from django.conf import settings

    from portal.celery import app

    if settings.REDIS_URL:
        queue = f"test-{uuid.uuid4().hex[:12]}"
        app.conf.task_default_queue = queue
        yield queue
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
    else:
        yield None


@pytest.fixture
def task_runner(transactional_db):
    """Runs queued tasks: a real in-process Celery worker on Redis when ``REDIS_URL`` is set,
    eager execution otherwise. Tests using it see committed data only (transactional_db)."""
    from django.conf import settings

    from portal.celery import app

    if not settings.REDIS_URL:
        yield "eager"
        return
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for the ping check)
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    def close_connections(**kwargs):
        # The worker's thread opens its own database connection, which nothing closes when the
        # thread ends: the session would hold the test database open at its teardown.
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=30):
            yield "worker"
    finally:
        task_postrun.disconnect(close_connections)


# --- browser ---------------------------------------------------------------------------------


@pytest.fixture
def page(monkeypatch):
    """A Chromium page (zh-CN) that fails the test if it asks for anything outside the live
    server (the portal is offline), raises a script error or breaks the Content-Security-Policy
    (the browser refuses an inline script or style, an eval, a foreign source)."""
    from .browser import CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of fixtures and
    # assertions stay synchronous and safe. Per test, so it never leaks into subprocesses.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(10_000)
        outside: list[str] = []
        errors: list[str] = []
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if not r.url.startswith(("http://localhost", "data:", "blob:"))
                else None
            ),
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
        )
        yield page
        context.close()
        browser.close()
    assert not outside, outside
    assert not errors, errors
