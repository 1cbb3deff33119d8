"""The two-finds job against the database: proposals, cases, reruns, rejections, increments,
chunks, and a real Celery worker in the PostgreSQL + Redis run."""

import time

import pytest
from django.utils import timezone

from core.choices import JobStatus
from core.jobs import job_create
from members.choices import CaseStatus, MatchRule, PoliticalStatus, ProposalStatus
from members.models import Case, MatchProposal, PartyMember, Worker
from members.selectors import workers_to_verify
from members.services import two_finds
from members.services.cases import case_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


def run_job(actor=None):
    job = job_create(actor=actor, kind=two_finds.JOB_KIND, parameters={})
    return two_finds.two_finds_run(job=job)


@pytest.fixture
def found(world, people):
    """Two members hidden among the workers: one with the same ID number, one whose roster
    entry lacks the ID but has the member's phone and name."""
    exact = f.WorkerFactory(
        source="meituan",
        external_id="MT-0100",
        name="赵磊",
        id_number=people.member_delivery.id_number,
        phone=f.phone_for(777),
        industry=world.delivery,
        region=world.street_a,
        enterprise=world.ent_delivery_a,
        platform=world.platform,
        political_status=PoliticalStatus.FULL,
    )
    by_phone = f.WorkerFactory(
        source="sf-express",
        external_id="SF-0100",
        name="钱敏",
        id_number="",
        phone=people.member_express.phone,
        industry=world.express,
        region=world.district_a,
        enterprise=world.ent_express_a,
    )
    return exact, by_phone


def pair(worker, member):
    return MatchProposal.objects.get(worker=worker, member=member)


def test_a_run_proposes_accepts_and_opens_cases(world, people, found):
    exact, by_phone = found
    result = run_job(world.staff)
    first = pair(exact, people.member_delivery)
    assert (first.rule, first.status) == (MatchRule.EXACT_ID, ProposalStatus.AUTO_ACCEPTED)
    second = pair(by_phone, people.member_express)
    assert second.rule == MatchRule.FUZZY and second.status == ProposalStatus.AUTO_ACCEPTED
    assert second.evidence["fields"]["phone"]["level"] == "agree"
    assert second.evidence["fields"]["id_number"]["level"] == "missing"
    assert Case.objects.filter(proposal=first, status=CaseStatus.DISCOVERED).exists()
    assert Case.objects.filter(worker=by_phone, member=people.member_express).exists()
    assert result["auto_accepted"] == 2 and result["created"] == 2 and result["exact"] == 1
    assert result["cases_opened"] == 2
    assert result["workers_read"] == Worker.objects.count() == 5
    assert result["members_read"] == PartyMember.objects.count() == 3
    for name in two_finds.RESULT_COUNTS:
        assert name in result


def test_each_opened_case_has_its_first_event_and_audit_row(world, people, found):
    from core.models import AuditEvent

    run_job(world.staff)
    opened = list(Case.objects.filter(proposal__isnull=False))
    assert len(opened) == 2
    for case in opened:
        event = case.events.get()
        assert (event.from_status, event.to_status) == ("", CaseStatus.DISCOVERED)
        assert event.actor == world.staff
        audit = AuditEvent.objects.get(verb="case_open", object_id=str(case.pk))
        assert audit.actor == world.staff and str(case.member) in audit.object_repr
        assert audit.changes["member"] == [None, case.member_id]
        assert audit.changes["worker"] == [None, case.worker_id]
        assert audit.changes["status"] == [None, CaseStatus.DISCOVERED]
        assert case.proposal.evidence["fields"]["name"]["member"] == case.member.name


def test_evidence_and_job_record_hold_no_identity_values(world, people, found):
    exact, _ = found
    run_job()
    proposal = pair(exact, people.member_delivery)
    text = repr(proposal.evidence)
    assert exact.id_number not in text and exact.phone not in text
    assert exact.id_number_index[:16] not in text  # not even the blind index


def test_a_second_run_creates_nothing_new(world, people, found):
    run_job()
    before = set(MatchProposal.objects.values_list("worker", "member", "status", "score"))
    cases_before = Case.objects.count()
    now = timezone.now()  # everybody changed: everything is matched again
    Worker.objects.update(identity_changed_at=now)
    PartyMember.objects.update(identity_changed_at=now)
    result = run_job()
    assert result["created"] == 0 and result["cases_opened"] == 0
    assert result["skipped_existing"] == 2
    assert set(MatchProposal.objects.values_list("worker", "member", "status", "score")) == before
    assert Case.objects.count() == cases_before
    assert run_job()["workers_read"] == 0  # and with nothing pending, nothing is read


def test_a_pair_rejected_as_not_a_match_is_never_proposed_again(world, people, found):
    exact, _ = found
    run_job()
    case = Case.objects.get(worker=exact)
    case_transition(actor=world.staff, case=case, to_status=CaseStatus.REJECTED, note="同号不同人")
    assert pair(exact, people.member_delivery).status == ProposalStatus.REJECTED
    Worker.objects.filter(pk=exact.pk).update(identity_changed_at=timezone.now())
    result = run_job()
    assert result["workers_read"] == 1 and result["excluded"] == 1
    assert result["created"] == 0 and result["auto_accepted"] == 0
    assert MatchProposal.objects.filter(worker=exact).count() == 1
    assert pair(exact, people.member_delivery).status == ProposalStatus.REJECTED


def test_only_new_or_changed_workers_are_processed(world, people, found):
    run_job()
    newcomer = f.WorkerFactory(
        source="meituan",
        external_id="MT-0200",
        name="孙杰",
        id_number=people.mobile_member.id_number,
        industry=world.delivery,
        region=world.street_a,
    )
    result = run_job()
    assert (result["workers_read"], result["workers_pending"]) == (1, 1)
    assert result["members_pending"] == 0
    assert pair(newcomer, people.mobile_member).status == ProposalStatus.AUTO_ACCEPTED

    # A changed worker is matched again; the unchanged ones are not read.
    worker = people.worker_express
    worker.name = "李强强"
    worker.identity_changed_at = timezone.now()
    worker.save()
    assert run_job()["workers_read"] == 1


def test_a_new_member_is_matched_against_the_workers_it_may_meet(world, people, found):
    run_job()
    hidden = people.worker_delivery_b
    member = f.PartyMemberFactory(
        member_id="M-N-01",
        name=hidden.name,
        id_number=hidden.id_number,
        organization=world.branch_delivery,
    )
    result = run_job()
    assert result["members_pending"] == 1
    # Only the worker sharing a blocking key with the new member is read, not all five.
    assert result["workers_read"] == 1 and result["workers_pending"] == 0
    assert pair(hidden, member).status == ProposalStatus.AUTO_ACCEPTED
    again = run_job()  # nobody is pending any more, and nobody's row was written to say so
    assert again["members_pending"] == 0 and again["workers_read"] == 0


def test_many_pending_members_read_every_worker(world, people, found, settings):
    settings.TWO_FINDS_KEY_FILTER_LIMIT = 0
    result = run_job()
    assert result["workers_read"] == Worker.objects.count()


def test_chunks_share_a_run_and_count_once(world, people, found, settings):
    settings.TWO_FINDS_CHUNK_SIZE = 2
    job = job_create(actor=None, kind=two_finds.JOB_KIND, parameters={})
    ranges = two_finds.two_finds_plan(job=job)
    assert len(ranges) == 3  # five workers, two per chunk
    for index, (first, last) in enumerate(ranges):
        two_finds.two_finds_chunk_once(job=job, index=index, first_pk=first, last_pk=last)
        if index == 0:  # a redelivered chunk changes nothing and is not counted again
            again = two_finds.two_finds_chunk_once(job=job, index=0, first_pk=first, last_pk=last)
            assert again is None
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["chunks"] == 3 and job.result["workers_read"] == 5
    assert job.result["auto_accepted"] == 2 and job.result["created"] == 2
    assert job.progress_done == job.progress_total == 5
    # The summary says where the time went: planning, each chunk once (the redelivered one is
    # not counted again), the decision.
    steps = job.result["step_seconds"]
    assert len(steps["chunks"]) == 3
    assert all(set(chunk) == {"load", "score", "write"} for chunk in steps["chunks"])
    assert steps["plan"] >= 0 and steps["finish"] >= 0


def test_a_province_larger_than_the_estimation_sample_is_matched(world, people, found, monkeypatch):
    """Past ``ESTIMATION_SAMPLE`` active workers the model is estimated on every n-th worker
    (a province's two million); the run still finds everyone."""
    monkeypatch.setattr(two_finds.job, "ESTIMATION_SAMPLE", 2)
    result = run_job()
    assert result["workers_read"] == Worker.objects.count()
    assert result["auto_accepted"] == 2 and result["cases_opened"] == 2


def test_thresholds_come_from_settings(world, people, found, settings):
    settings.TWO_FINDS_THRESHOLDS = {"accept": 1_000.0}
    result = run_job()
    assert result["auto_accepted"] == 0 and result["review"] == 2
    assert set(MatchProposal.objects.values_list("status", flat=True)) == {ProposalStatus.PROPOSED}
    assert not Case.objects.exists()


def test_workers_to_verify_is_scoped_and_drops_found_members(world, people, found):
    exact, _ = found
    Worker.objects.filter(pk=people.worker_express.pk).update(
        political_status=PoliticalStatus.PROBATIONARY
    )
    delivery = set(workers_to_verify(world.secretary_delivery))
    assert delivery == {people.worker_delivery, exact}
    assert set(workers_to_verify(world.secretary_express)) == {people.worker_express}
    run_job()  # `exact` is found as a member: no longer to verify
    assert set(workers_to_verify(world.secretary_delivery)) == {people.worker_delivery}
    assert people.worker_express not in workers_to_verify(world.secretary_delivery)


def test_the_job_runs_on_a_celery_worker(world, people, found, task_runner):
    job = two_finds.two_finds_queue(actor=world.staff)  # autocommit: sent at once
    if task_runner == "worker":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
                break
            time.sleep(0.2)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["auto_accepted"] == 2 and job.result["created"] == 2
    assert MatchProposal.objects.filter(job=job).count() == 2
    assert Case.objects.filter(proposal__job=job).count() == 2


def test_the_job_is_set_based(world, people, found, django_assert_max_num_queries):
    """No per-worker UPDATE at all, and the cases, their events and their audit rows are
    inserted in one statement each, however many pairs are accepted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = run_job()
    assert result["auto_accepted"] == 2 and result["cases_opened"] == 2
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if q.startswith('UPDATE "members_worker"')]
    assert not [q for q in sql if q.startswith('UPDATE "members_partymember"')]
    for table in ("members_case", "members_caseevent", "core_auditevent"):
        inserts = [q for q in sql if q.startswith(f'INSERT INTO "{table}"')]
        assert len(inserts) == 1, (table, len(inserts))


def test_the_run_records_the_model_it_estimated(world, people, found):
    run_job()
    job = two_finds.JobRun.objects.filter(kind=two_finds.JOB_KIND).latest("id")
    model = job.parameters["model"]
    assert model["source"] in ("prior", "em")  # five workers: the prior stands
    assert model["fields"]["id_number"]["2"][0] <= 1e-4  # two real IDs: strong evidence against
    assert "watermark" in job.parameters


@pytest.fixture
def two_worker_threads(transactional_db, settings):
    """A real Celery worker with two threads on Redis (the PostgreSQL + Redis run only)."""
    if not settings.REDIS_URL:
        pytest.skip("needs a real broker (REDIS_URL)")
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping)
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=True):
        yield
    # The pool's threads kept their own database connections: end them, so that the test
    # database can be dropped at the end of the session.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def test_chunks_run_in_parallel_on_several_workers(world, people, found, two_worker_threads):
    for n in range(12):  # enough workers for four chunks of three
        f.WorkerFactory(source="bulk", external_id=f"B-{n}", industry=world.delivery)
    job = two_finds.two_finds_queue(actor=world.staff, chunk_size=3)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            break
        time.sleep(0.2)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["chunks"] == 6 and job.result["workers_read"] == 17
    assert job.result["executors"] >= 2  # the chunks were shared, not run one after another
    assert job.result["auto_accepted"] == 2 and job.result["cases_opened"] == 2
