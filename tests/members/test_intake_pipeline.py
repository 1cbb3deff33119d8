"""A file import on PostgreSQL writes each chunk on a second connection while the next one is
prepared (``members/services/intake/pipeline.py``): the report and the rows are those of a
run that writes one chunk after the other."""

from __future__ import annotations

import csv
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from members.models import Worker
from members.services.intake import WORKER_COLUMNS, chunks, engine
from tests.members.test_intake import worker_row

pytestmark = pytest.mark.django_db(transaction=True)  # a command commits chunk by chunk

#: What two runs of the same file under two sources must agree on.
COMPARED = (
    "external_id", "name", "name_pinyin", "id_number_index", "phone_index", "birth_date",
    "gender", "industry_id", "region_id", "political_status", "work_lat", "work_lng",
)  # fmt: skip


def _row(n: int, **cells) -> dict:
    return worker_row(n, **{"name": f"张{n % 7}", **cells})


def _file(tmp_path, name: str, rows: list[dict]) -> str:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=WORKER_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def _import(path: str, source: str) -> list[str]:
    out = io.StringIO()
    call_command("import_workers", path, "--source", source, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def _state(source: str) -> list[tuple]:
    return list(Worker.objects.filter(source=source).order_by("external_id").values_list(*COMPARED))


def test_a_pipelined_import_reports_and_writes_what_a_sequential_one_does(
    world, tmp_path, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("the pipeline runs on PostgreSQL only (SQLite has one writer at a time)")
    monkeypatch.setattr(chunks, "CHUNK_SIZE", 7)  # 40 rows: six chunks
    first = [_row(n) for n in range(40)]
    first[11]["industry"] = "no-such-industry"  # a bad row in the second chunk
    first[25] = _row(3, name="李四")  # a key of the first chunk again, four chunks later
    second = [_row(n) for n in range(10)]  # unchanged
    second += [_row(n, name="王五") for n in range(10, 20)]  # changed (MT-011: new, was refused)
    second += [_row(n) for n in range(100, 110)]  # new
    files = _file(tmp_path, "first.csv", first), _file(tmp_path, "second.csv", second)

    writers: set[str] = set()
    commit = chunks.commit_chunk

    def recorded(*args, **kwargs):
        writers.add(threading.current_thread().name)
        return commit(*args, **kwargs)

    monkeypatch.setattr(chunks, "commit_chunk", recorded)
    piped = [_import(path, "piped") for path in files]
    assert writers and all(name.startswith("intake-writer") for name in writers)

    writers.clear()
    monkeypatch.setattr(chunks, "pipelined", lambda spec: False)
    plain = [_import(path, "plain") for path in files]
    assert writers == {threading.main_thread().name}

    assert piped == plain
    assert piped[0][:5] == [
        "rows read: 40", "created: 38", "updated: 0", "unchanged: 0", "rejected: 2",
    ]  # fmt: skip
    assert piped[1][:5] == [
        "rows read: 30", "created: 11", "updated: 9", "unchanged: 10", "rejected: 0",
    ]  # fmt: skip
    assert any(line.startswith("row 13: industry") for line in piped[0])
    assert any(line.startswith("row 27: external_id") for line in piped[0])  # the duplicate
    assert _state("piped") == _state("plain")
    assert len(_state("piped")) == 49


def test_a_failed_chunk_write_stops_the_import_and_keeps_the_chunks_before_it(
    world, tmp_path, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("the pipeline runs on PostgreSQL only (SQLite has one writer at a time)")
    monkeypatch.setattr(chunks, "CHUNK_SIZE", 5)
    write = engine.write_chunk
    calls: list[int] = []

    def third_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return write(*args, **kwargs)

    monkeypatch.setattr(engine, "write_chunk", third_fails)
    path = _file(tmp_path, "roster.csv", [_row(n) for n in range(30)])
    with pytest.raises(RuntimeError, match="went away"):
        _import(path, "piped")
    # The two chunks before the failure committed; the failed one and those after did not.
    assert Worker.objects.filter(source="piped").count() == 10
