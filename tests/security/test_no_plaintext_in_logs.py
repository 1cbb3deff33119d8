"""No protected value in any log record (issue 20, deliverable 2).

A scenario that handles IDs and phones through every door — API writes and search, a refused
query string, the bulk roster push, the public self-report, the portal and admin searches,
``dumpdata`` — runs with every logger at DEBUG and SQL logging on; every record (message,
arguments, extra fields, traceback) is scanned for the plaintext values used.
"""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from members.throttle import report_key
from tests import factories as f
from tests.base import api_client

WORKERS = "/api/v1/workers/"


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def every_record():
    """Every log record of the test, from every logger, at DEBUG (SQL included)."""
    handler = Collect()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        if logger is logging.getLogger() or not logger.propagate:
            logger.addHandler(handler)
    forced = connection.force_debug_cursor
    connection.force_debug_cursor = True
    try:
        yield handler.records
    finally:
        connection.force_debug_cursor = forced
        for logger, level in levels.items():
            logger.setLevel(level)
            if handler in logger.handlers:
                logger.removeHandler(handler)


def _text(record: logging.LogRecord) -> str:
    try:
        message = record.getMessage()
    except Exception:  # a record whose arguments do not fit its format
        message = f"{record.msg!r} {record.args!r}"
    parts = [message, repr(record.args), repr(record.__dict__)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def test_no_log_record_carries_a_protected_value(client, world, people, every_record):
    staff = api_client(world.staff)
    values: set[str] = set()

    def new_values(n):
        id_number, phone = f.resident_id_for(n), f.phone_for(n)
        values.update({id_number, phone})
        return id_number, phone

    # API: create, change, refuse, search, refused query string.
    id_number, phone = new_values(4101)
    person = {"source": "survey", "external_id": "LOG-1", "name": "日志"}
    created = staff.post(WORKERS, {**person, "id_number": id_number, "phone": phone})
    assert created.status_code == 201, created.content
    _id2, phone2 = new_values(4102)
    staff.patch(f"{WORKERS}{created.json()['id']}/", {"phone": phone2})
    bad_id = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
    values.add(bad_id)
    staff.post(
        WORKERS, {"source": "survey", "external_id": "LOG-2", "name": "错", "id_number": bad_id}
    )
    staff.post(f"{WORKERS}search/", {"id_number": id_number, "phone": phone2})
    staff.get(WORKERS, {"phone": phone2})  # refused: 400

    # The partner's roster push, with a bad row.
    rows = []
    for n in (4201, 4202):
        row_id, row_phone = new_values(n)
        place = {"industry": "food_delivery", "region_code": "320402"}
        rows.append(
            {"external_id": f"MT-L{n}", "name": "骑手", "id_number": row_id, "phone": row_phone}
            | place
        )
    rows.append({"external_id": "MT-L9", "name": "坏", "id_number": bad_id, "phone": "139"})
    pushed = api_client(world.partner).post(
        f"{WORKERS}bulk/", {"source": "meituan", "rows": rows}, format="json"
    )
    assert pushed.status_code == 200, pushed.content

    # The public self-report (a party member reports in).
    claim_id, claim_phone = new_values(4301)
    cache.delete(report_key("127.0.0.1"))
    client.post(
        "/members/report/",
        {"name": "周敏", "id_number": claim_id, "phone": claim_phone,
         "home_organization_name": "安徽省阜阳市某村党支部", "employer_name": "天宁美团站",
         "industry": "food_delivery", "region": "320402", "work_place": "雕庄街道",
         "consent": "on", "website": ""},
    )  # fmt: skip
    cache.delete(report_key("127.0.0.1"))

    # The portal list and the admin search, typed in clear.
    client.force_login(world.staff)
    client.get("/members/workers/", {"phone": phone2}, follow=True)
    client.get("/admin/members/worker/", {"q": id_number}, follow=True)

    # And a dump of the people.
    call_command("dumpdata", "members.Worker", "members.PartyMember", stdout=StringIO())

    for person in (people.worker_delivery, people.worker_express, people.member_delivery):
        values.update({person.id_number, person.phone})
    assert len(every_record) > 50  # the capture works (SQL at DEBUG included)
    leaks = [
        (record.name, value)
        for record in every_record
        for value in values
        if value in _text(record)
    ]
    assert not leaks, leaks[:20]


def test_a_log_line_is_scrubbed_whatever_was_logged(rf):
    """The console handler's filter masks ID- and phone-shaped numbers and writes a request
    without its query string, in the JSON format too."""
    from pythonjsonlogger.json import JsonFormatter

    from core.logging import RedactPersonalDataFilter

    id_number, phone = f.resident_id_for(4401), f.phone_for(4401)
    request = rf.get("/api/v1/workers/", {"phone": phone})
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Bad Request: %s id %s", (phone, id_number),
        None,
    )  # fmt: skip
    record.request = request
    assert RedactPersonalDataFilter().filter(record)
    line = JsonFormatter("%(message)s %(request)s").format(record)
    assert phone not in line and id_number not in line
    assert "GET /api/v1/workers/" in line


def test_the_scrub_keeps_durations_and_masks_numbers_after_words():
    from core.redact import scrub

    phone, id_number = f.phone_for(4402), f.resident_id_for(4402)
    assert scrub("Task succeeded in 0.061837657000069161s") == (
        "Task succeeded in 0.061837657000069161s"
    )
    line = scrub(f"tel.{phone} id:{id_number} +86{phone}")
    assert phone not in line and id_number not in line
