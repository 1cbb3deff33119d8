"""Keys rotate: protected values are read under every key of PORTAL_PII_KEYS and found through
the index under any of them; `rotate_pii_keys` re-encrypts and re-indexes in batches and
continues where a stopped run left off."""

import pytest
from cryptography.fernet import InvalidToken
from django.core.management import CommandError, call_command
from django.db import connection

from core import pii
from core.choices import JobStatus
from core.models import JobRun
from core.pii_rotation import KIND
from members.models import Worker
from tests import factories as f

OLD = "old-key-for-rotation-tests-0123456789abcdef"
NEW = "new-key-for-rotation-tests-0123456789abcdef"


@pytest.fixture
def keys(settings):
    def use(*raw):
        settings.PORTAL_PII_KEYS = list(raw)
        pii.reset_key_cache()

    use(OLD)
    yield use
    pii.reset_key_cache()


def raw_column(worker, column="id_number"):
    with connection.cursor() as cursor:
        table = Worker._meta.db_table
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [worker.pk])
        return cursor.fetchone()[0]


def test_the_first_key_encrypts_and_every_key_decrypts(keys):
    old_token = pii.encrypt("13812345678")
    keys(NEW, OLD)
    assert pii.decrypt(old_token) == "13812345678"
    new_token = pii.encrypt("13812345678")
    keys(NEW)
    assert pii.decrypt(new_token) == "13812345678"
    with pytest.raises(InvalidToken):
        pii.decrypt(old_token)


def test_records_under_the_old_key_are_read_and_found_during_rotation(db, keys):
    worker = f.WorkerFactory()
    keys(NEW, OLD)
    fresh = Worker.objects.get(pk=worker.pk)
    assert fresh.id_number == worker.id_number
    assert Worker.objects.filter(pii.protected_lookup(Worker, "phone", worker.phone)).get() == fresh


def test_rotation_re_encrypts_and_re_indexes_in_resumable_batches(db, keys):
    workers = [f.WorkerFactory() for _ in range(5)]
    claimant = f.WorkerFactory(phone="")
    old_tokens = {w.pk: raw_column(w) for w in workers}
    keys(NEW, OLD)

    call_command("rotate_pii_keys", batch_size=2, max_batches=1)
    job = JobRun.objects.get(kind=KIND)
    assert job.status == JobStatus.RUNNING
    assert job.result["positions"]
    done_before = job.result["rows"]
    assert done_before == 2

    # A second run resumes the same job: no row is done twice, the rest is done.
    call_command("rotate_pii_keys", batch_size=2)
    job.refresh_from_db()
    assert JobRun.objects.filter(kind=KIND).count() == 1
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["rows"] == job.progress_total >= 6

    # Only the new key now: every value opens, every index is the new key's.
    keys(NEW)
    for worker in [*workers, claimant]:
        fresh = Worker.objects.get(pk=worker.pk)
        assert fresh.id_number == worker.id_number
        assert fresh.phone == worker.phone
        assert fresh.id_number_index == pii.blind_index(worker.id_number, kind="resident_id")
        if worker.phone:
            found = Worker.objects.filter(pii.protected_lookup(Worker, "phone", worker.phone))
            assert found.get() == fresh
    assert all(raw_column(w) != old_tokens[w.pk] for w in workers)


def test_a_value_no_key_opens_stops_with_an_operator_message(db, keys):
    f.WorkerFactory()
    keys(NEW)  # the old key dropped before rotating
    with pytest.raises(CommandError, match="PORTAL_PII_KEYS"):
        call_command("rotate_pii_keys")
