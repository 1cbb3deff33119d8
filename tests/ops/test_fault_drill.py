"""The fault drill, in the suite (PostgreSQL + Redis run; skipped on SQLite): this test starts
its own ``redis-server`` and Celery worker on free ports — never the machine's shared Redis —
then stops and restarts that Redis during a two-finds job, kills that worker in the middle of
one, and stops Redis before one is queued. Each job's end state must equal a clean run's, and
no person may be needed: the worker reconnects by itself, a new worker (what the supervisor
starts) picks up the killed one's chunks, and the refused job is failed at once."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from core.choices import JobStatus
from core.jobs import ENQUEUE_FAILED, job_create
from core.models import JobRun
from members.models import Case, MatchProposal
from members.services import two_finds
from tests import factories as f

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
ROOT = Path(__file__).resolve().parents[2]
CHUNK_SIZE = 10
CHUNKS = 6  # the roster's 60 workers

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="the fault drill runs on the PostgreSQL + Redis suite",
    ),
    pytest.mark.skipif(not os.path.exists(REDIS_SERVER), reason="redis-server is not installed"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(predicate, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Rig:
    """Our own Redis (with an append-only file, as production should) and Celery worker."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.redis: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_log = tmp / "worker-0.log"
        self.workers_started = 0

    # Redis
    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.tmp),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--daemonize",
                "no",
                "--logfile",
                str(self.tmp / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self._redis_answers, 20, "redis-server to answer")

    def _redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop_redis(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()  # SIGTERM: Redis's own orderly shutdown
            self.redis.wait(20)

    # the worker
    def env(self) -> dict[str, str]:
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        where = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "1",
            "REDIS_URL": self.url,
            "DATABASE_URL": f"postgres://{auth}@{where}",
            "JOB_HEARTBEAT_SECONDS": "1",
            "CELERY_VISIBILITY_TIMEOUT": "6",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            # Kombu's default (300 s) would stall the drill whenever a kill or a Redis stop
            # lands inside a worker's restore sweep, which holds this lock for milliseconds.
            "CELERY_UNACKED_MUTEX_EXPIRE": "3",
            "DRILL_CHUNK_SIZE": str(CHUNK_SIZE),
            "DRILL_CHUNK_SECONDS": "1.5",
            "PYTHONPATH": str(ROOT),
        }

    def start_worker(self) -> None:
        self.workers_started += 1
        self.worker_log = self.tmp / f"worker-{self.workers_started}.log"
        log = self.worker_log.open("w")
        self.worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                "--include",
                "tests.ops.drill_worker",
                "--hostname",
                f"drill{self.workers_started}-{self.port}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill takes its children
        )
        _wait(lambda: "ready." in self.worker_log.read_text(), 90, "the worker to be ready")

    def kill_worker(self) -> None:
        os.killpg(self.worker.pid, signal.SIGKILL)  # no warm shutdown: as a crash or OOM kill
        self.worker.wait(20)

    def stop_worker(self) -> None:
        if self.worker and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGTERM)
            try:
                self.worker.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.worker.pid, signal.SIGKILL)
                self.worker.wait(10)

    def broker_state(self) -> str:
        """What the broker holds: queued and unacknowledged messages, the restore mutex."""
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=2)
        try:
            return (
                f"queue {client.llen('celery')}, unacked {client.hlen('unacked')}, "
                f"restore mutex ttl {client.ttl('unacked_mutex')}"
            )
        except redis.RedisError as exc:
            return f"redis: {exc!r}"
        finally:
            client.close()

    def hold_restore_lock(self) -> None:
        """Leave the restore sweep's lock held, as a worker killed in the middle of a sweep
        does, with the lifetime the workers give it (``CELERY_UNACKED_MUTEX_EXPIRE``)."""
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=2)
        try:
            expire = int(self.env()["CELERY_UNACKED_MUTEX_EXPIRE"])
            assert client.set("unacked_mutex", "killed-worker", ex=expire, nx=True) is not None
        finally:
            client.close()

    def wait_finished(self, job: JobRun, what: str, timeout: float = 120) -> None:
        try:
            _wait(lambda: _finished(job), timeout, what)
        except AssertionError as exc:  # say where it stood, what the broker and workers said
            job.refresh_from_db()
            logs = "".join(
                f"\n--- worker-{n}.log ---\n{(self.tmp / f'worker-{n}.log').read_text()[-3000:]}"
                for n in range(1, self.workers_started + 1)
            )
            raise AssertionError(
                f"{exc}; job {job.status}, result {job.result}, heartbeat {job.heartbeat_at}; "
                f"{self.broker_state()}{logs}"
            ) from None

    # jobs
    def send_two_finds(self) -> JobRun:
        from celery import Celery

        job = job_create(actor=None, kind=two_finds.JOB_KIND)
        if hasattr(job, "task_name"):  # what enqueue_on_commit records, for the watchdog
            JobRun.objects.filter(pk=job.pk).update(task_name="members.tasks.run_two_finds")
        sender = Celery("drill", broker=self.url, set_as_current=False)
        try:
            sender.send_task("members.tasks.run_two_finds", args=[job.pk], ignore_result=True)
        finally:
            sender.close()
        return job


@pytest.fixture
def rig(tmp_path):
    rig = Rig(tmp_path)
    rig.start_redis()
    try:
        yield rig
    finally:
        rig.stop_worker()
        rig.stop_redis()


@pytest.fixture
def roster(world):
    """60 workers; 12 of them party members on the roster (same resident ID)."""
    for _ in range(12):
        member = f.PartyMemberFactory(organization=world.branch_delivery)
        f.WorkerFactory(
            name=member.name,
            id_number=member.id_number,
            industry=world.delivery,
            region=world.street_a,
        )
    for n in range(48):
        f.WorkerFactory(name=f"骑手{n:02d}", industry=world.delivery, region=world.street_a)


def end_state() -> dict:
    return {
        "proposals": sorted(
            MatchProposal.objects.values_list("worker_id", "member_id", "rule", "status")
        ),
        "cases": sorted(Case.objects.values_list("member_id", "status")),
    }


def forget_matches() -> None:
    Case.objects.all().delete()
    MatchProposal.objects.all().delete()
    # A run reads what changed since the last successful run's watermark: without one, all.
    JobRun.objects.filter(kind=two_finds.JOB_KIND).delete()


@pytest.fixture
def clean_run(roster, settings) -> dict:
    """The end state of a run without faults (in this process), then the slate wiped."""
    settings.TWO_FINDS_CHUNK_SIZE = CHUNK_SIZE
    result = two_finds.two_finds_run(job=job_create(actor=None, kind=two_finds.JOB_KIND))
    state = end_state()
    assert result["auto_accepted"] + result["exact"] > 0 and state["cases"]
    forget_matches()
    return state


def _finished(job: JobRun):
    job.refresh_from_db()
    return job if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED) else None


def _chunks_done(job: JobRun) -> int:
    job.refresh_from_db()
    return len((job.result or {}).get("chunks_done", []))


def test_redis_stops_and_restarts_during_a_job_and_the_job_finishes(rig, clean_run):
    rig.start_worker()
    job = rig.send_two_finds()
    _wait(lambda: _chunks_done(job) >= 1, 60, "the first chunk")
    rig.stop_redis()
    time.sleep(2)
    rig.start_redis()
    rig.wait_finished(job, "the job to finish after Redis came back")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert rig.worker.poll() is None, rig.worker_log.read_text()[-3000:]
    assert "Unrecoverable error" not in rig.worker_log.read_text()
    assert end_state() == clean_run
    assert job.result["chunks"] == CHUNKS


def test_a_worker_killed_mid_job_is_replaced_and_the_job_finishes(rig, clean_run):
    rig.start_worker()
    job = rig.send_two_finds()
    _wait(lambda: _chunks_done(job) >= 1, 60, "the first chunk")
    assert _chunks_done(job) < CHUNKS
    # The worst moment, made certain: the worker dies holding the lock under which workers
    # give back unacknowledged messages (with kombu's own 300 s lifetime, this wait failed).
    rig.hold_restore_lock()
    rig.kill_worker()
    rig.start_worker()  # what systemd's Restart=always does
    rig.wait_finished(job, "the job to finish on the new worker")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert end_state() == clean_run
    assert job.result["chunks"] == CHUNKS


def test_a_job_queued_while_redis_is_down_fails_at_once_with_a_message(rig, roster):
    rig.stop_redis()
    command = subprocess.run(
        [sys.executable, "manage.py", "run_two_finds"],
        cwd=ROOT,
        env=rig.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert command.returncode == 1, command.stdout + command.stderr
    # One line for the operator (after the log record of the refused send), no traceback.
    with translation.override(settings.LANGUAGE_CODE):  # the command's language
        message = str(ENQUEUE_FAILED)
    lines = command.stderr.strip().splitlines()
    assert lines[-1].startswith("CommandError:") and message in lines[-1], command.stderr
    assert "Traceback" not in command.stderr, command.stderr
    job = JobRun.objects.get(kind=two_finds.JOB_KIND)
    assert job.status == JobStatus.FAILED and job.error == message
