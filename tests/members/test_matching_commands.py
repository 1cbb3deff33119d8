"""The operators' contracts: ``run_two_finds [--wait]`` and ``export_two_finds FILE``."""

import csv
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from core.choices import JobStatus, PIIAction
from core.models import JobRun, PIIAccessLog
from members.choices import PoliticalStatus, ProposalStatus
from members.models import MatchProposal
from members.services import two_finds
from tests import factories as f

pytestmark = pytest.mark.django_db

FULL_ID = re.compile(r"\d{17}[\dXx]")
FULL_PHONE = re.compile(r"1\d{10}")


@pytest.fixture
def hidden(world, people):
    """A member on a platform roster under the same ID, and one proposal waiting for review."""
    f.WorkerFactory(
        source="meituan",
        external_id="MT-0100",
        name="赵磊",
        id_number=people.member_delivery.id_number,
        industry=world.delivery,
        region=world.street_a,
        political_status=PoliticalStatus.FULL,
    )
    f.WorkerFactory(
        source="sf-express",
        external_id="SF-0100",
        name="钱敏",
        id_number="",
        phone=people.member_express.phone,
        industry=world.express,
        region=world.district_a,
    )


def call(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def test_run_two_finds_queues_a_job_and_prints_its_id(world, people, hidden):
    output = call("run_two_finds")
    job = JobRun.objects.get(kind=two_finds.JOB_KIND)
    assert f"job {job.pk} queued" in output


@pytest.mark.django_db(transaction=True)
def test_run_two_finds_wait_prints_the_summary(world, people, hidden, task_runner):
    # Committed data and a task runner: eager here, a real Celery worker with REDIS_URL.
    output = call("run_two_finds", "--wait", "--timeout", "60")
    job = JobRun.objects.get(kind=two_finds.JOB_KIND)
    assert job.status == JobStatus.SUCCEEDED
    assert "auto_accepted: 2" in output and "created: 2" in output
    assert "workers_read: 5" in output and "members_read: 3" in output
    assert MatchProposal.objects.count() == 2


def test_run_two_finds_refuses_an_unknown_user(world):
    with pytest.raises(CommandError):
        call("run_two_finds", "--user", "nobody")
    assert not JobRun.objects.exists()


@pytest.fixture
def matched(world, people, hidden):
    job = JobRun.objects.create(kind=two_finds.JOB_KIND)
    two_finds.two_finds_run(job=job)
    MatchProposal.objects.filter(worker__external_id="SF-0100").update(
        status=ProposalStatus.PROPOSED
    )
    return job


def test_export_csv_has_one_masked_row_per_match_and_is_logged(world, people, matched, tmp_path):
    path = tmp_path / "two_finds.csv"
    output = call("export_two_finds", str(path), "--reason", "季度核查")
    assert "2 rows written" in output
    text = path.read_text(encoding="utf-8-sig")
    assert not FULL_ID.search(text) and not FULL_PHONE.search(text)
    rows = list(csv.DictReader(text.splitlines()))
    assert [r["worker_external_id"] for r in rows] == ["MT-0100", "SF-0100"]  # by score
    first = rows[0]
    assert first["member_id"] == "M-D-01" and first["rule"] == "exact_id"
    assert first["status"] == ProposalStatus.AUTO_ACCEPTED
    assert (
        first["worker_id_number_masked"]
        == people.member_delivery.id_number[:4] + "*" * 10 + (people.member_delivery.id_number[-4:])
    )
    assert set(rows[1]) >= {"worker_source", "score", "member_phone_masked", "worker_name"}
    log = PIIAccessLog.objects.get(action=PIIAction.EXPORT)
    assert log.row_count == 2 and log.reason == "季度核查"
    assert log.content_type.model == "matchproposal"


def test_export_xlsx_follows_the_extension_and_filters_by_status(world, matched, tmp_path):
    path = tmp_path / "review.xlsx"
    output = call("export_two_finds", str(path), "--status", ProposalStatus.PROPOSED)
    assert "1 rows written" in output
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:6] == [
        "worker_source",
        "worker_external_id",
        "member_id",
        "score",
        "rule",
        "status",
    ]
    assert len(values) == 2 and values[1][1] == "SF-0100"
    assert not any(FULL_ID.search(str(v)) for row in values for v in row if v)
    assert PIIAccessLog.objects.get(action=PIIAction.EXPORT).row_count == 1


def test_export_as_a_user_sees_only_their_scope(world, matched, tmp_path):
    path = tmp_path / "mine.csv"
    call("export_two_finds", str(path), "--user", world.secretary_express.username)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["worker_external_id"] for r in rows] == ["SF-0100"]
    assert PIIAccessLog.objects.get(action=PIIAction.EXPORT).actor == world.secretary_express


def test_export_refuses_another_format(world, tmp_path):
    with pytest.raises(CommandError):
        call("export_two_finds", str(tmp_path / "x.json"))
    assert not PIIAccessLog.objects.exists()
