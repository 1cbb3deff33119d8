"""List APIs against the bare query, through gunicorn (2 sync workers) on this machine.

For each list endpoint: the maximum throughput (closed loop, 4 connections) as the partner (API
key) and as city-wide staff (session), beside ``/bench/bare/<endpoint>/`` — the same first page,
the same rows and columns, read as a bare ``.values()`` query of the endpoint's own queryset and
dumped to JSON (``bench/urls.py``) — in the same run; then the p99 latency at 70% of
the endpoint's own maximum (open loop, latency from the scheduled send, so a stall counts).
Targets: throughput ≥ 0.6 × the bare endpoint's, p99 ≤ 100 ms at 70% load.

Full scale: 2,000,000 workers and 100,000 enterprises (``bench.coverage.build``); small: 20,000
and 2,000, a shorter window and three endpoints (CI). The load generator shares the machine's 2
cores with gunicorn and the database: the figures are for comparison within one run.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.functions import Mod
from django.test import override_settings

from bench.common import Row
from core.models import APIKey
from organizations.choices import EnterpriseKind, GrantKind
from organizations.models import Enterprise, Industry, Region, ScopeGrant
from organizations.roles import DEPARTMENT_STAFF, PARTNER_SYSTEM, apply_all_role_grants

ROOT = Path(__file__).resolve().parents[1]
PAGE = 50
RATIO_TARGET = 0.6
P99_TARGET_MS = 100.0
ENDPOINTS_SMALL = ["enterprises", "workers", "regions"]
ENDPOINTS_FULL = ["regions", "industries", "organizations", "enterprises", "workers", "members"]
PASSWORD = "bench-Password-2026"
SECRET = "bench-secret-key-" + "x" * 40
PII_KEY = "bench-pii-key-" + "y" * 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(small: bool) -> dict:
    """The coverage benchmark's province, a partner platform holding a quarter of the units
    and workers, a partner key and a city-wide staff login."""
    from bench import coverage
    from members.models import Worker

    rng = random.Random(11)
    coverage.build(2_000 if small else 100_000, 20_000 if small else 2_000_000, rng)
    apply_all_role_grants()
    province = Region.objects.order_by("depth", "pk").first()
    platform = Enterprise.objects.create(
        uscc="91320000MA1BENCH0X",
        name="美团（基准）",
        kind=EnterpriseKind.PLATFORM_HQ,
        industry=Industry.objects.order_by("pk").first(),
        region=province,
    )
    quarter = {"quarter": Mod("id", 4)}
    Enterprise.objects.annotate(**quarter).filter(quarter=0).update(platform=platform)
    Worker.objects.annotate(**quarter).filter(quarter=0).update(platform=platform)
    users = get_user_model().objects
    from django.contrib.auth.models import Group

    staff = users.create_user("api_staff", password=PASSWORD, is_staff=True)
    staff.groups.add(*Group.objects.filter(name=DEPARTMENT_STAFF))
    ScopeGrant.objects.create(user=staff, kind=GrantKind.CITY)
    partner = users.create_user("api_partner", password=PASSWORD)
    partner.groups.add(*Group.objects.filter(name=PARTNER_SYSTEM))
    ScopeGrant.objects.create(user=partner, kind=GrantKind.PARTNER, platform=platform)
    _key, key = APIKey.objects.create_key(name="bench", user=partner)
    if connection.vendor == "postgresql":
        # Steady state, as a deployment runs: the vacuum that millions of new rows call for is
        # done before the clock starts, not by autovacuum in the middle of a measurement.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"key": key}


def _database_url(tmp: Path) -> str:
    """The bench database as gunicorn's processes can open it: PostgreSQL's test database, or
    the in-memory SQLite database copied to a file."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp / "bench.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    return f"sqlite:///{path}"


class Server:
    def __init__(self, tmp: Path):
        self.port = _free_port()
        self.log = (tmp / "gunicorn.log").open("w")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": _database_url(tmp),
            "DEBUG": "0",
            "SECRET_KEY": SECRET,
            "PORTAL_PII_KEY": PII_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            # The run sends thousands of requests a minute as one partner and one staff user:
            # rates no client reaches, so every request still pays for its throttle check but
            # none is refused (the throttles themselves: tests/core/test_safe_defaults.py).
            "API_THROTTLE_PARTNER": "1000000000/s",
            "API_THROTTLE_STAFF": "1000000000/s",
            "API_THROTTLE_ANON": "1000000000/s",
        }
        env.pop("REDIS_URL", None)  # the cache in memory: the run measures the API, not Redis
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/health/live/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start; see its log")

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def login(self, username: str) -> str:
        """A session cookie, through the login form like a browser."""
        status, headers, body = self.request("GET", "/accounts/login/")
        cookies = _cookies(headers)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or found is None:
            raise RuntimeError(f"login page answered {status}: {body[:300]!r}")
        token = found.group(1).decode()
        form = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        status, headers, _body = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        session = _cookies(headers).get("sessionid")
        if status != 302 or not session:
            raise RuntimeError(f"login of {username} failed ({status})")
        return f"sessionid={session}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(30)
        self.log.close()


def _cookies(headers) -> dict[str, str]:
    out = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            out[key.strip()] = rest.split(";", 1)[0]
    return out


class Client:
    """One keep-alive connection."""

    def __init__(self, port: int, path: str, headers: dict[str, str]):
        self.port, self.path, self.headers = port, path, headers
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self) -> int:
        try:
            self.conn.request("GET", self.path, headers=self.headers)
            response = self.conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0


def max_throughput(port: int, path: str, headers: dict, seconds: float, clients: int = 4) -> float:
    stop = time.monotonic() + seconds
    counts = [0] * clients
    failures = [0]

    def loop(i: int) -> None:
        client = Client(port, path, headers)
        while time.monotonic() < stop:
            if client.get() == 200:
                counts[i] += 1
            else:
                failures[0] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures[0]:
        raise RuntimeError(f"{path}: {failures[0]} requests failed")
    return sum(counts) / (time.monotonic() - started)


def p99_at(port: int, path: str, headers: dict, rate: float, seconds: float) -> float:
    """Open loop: requests scheduled at ``rate`` per second; latency counts from the schedule."""
    n = max(20, int(rate * seconds))
    start = time.monotonic() + 0.2
    schedule = [start + i / rate for i in range(n)]
    latencies: list[float] = []
    lock = threading.Lock()
    index = [0]

    def loop() -> None:
        client = Client(port, path, headers)
        while True:
            with lock:
                if index[0] >= n:
                    return
                due = schedule[index[0]]
                index[0] += 1
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            client.get()
            with lock:
                latencies.append((time.monotonic() - due) * 1000)

    threads = [threading.Thread(target=loop) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statistics.quantiles(latencies, n=100)[98]


def run(small: bool) -> list[Row]:
    # The rows' ID numbers and phones are encrypted under the key the server reads them with.
    with override_settings(PORTAL_PII_KEY=PII_KEY, PORTAL_PII_KEYS=[]):
        credentials = build(small)
    seconds = 1.5 if small else 6.0
    endpoints = ENDPOINTS_SMALL if small else ENDPOINTS_FULL
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp))
        try:
            who = {
                "partner": {"Authorization": f"Api-Key {credentials['key']}"},
                "staff": {"Cookie": server.login("api_staff")},
            }
            query = f"?page_size={PAGE}"
            for name in endpoints:
                path = f"/api/v1/{name}/{query}"
                readers = {}
                for label, headers in who.items():  # warm up, and check the answers
                    status, _h, body = server.request("GET", path, headers=headers)
                    if status == 403 and label == "partner":
                        continue  # the partner role reads no organizations or members
                    assert status == 200, (label, path, status, body[:200])
                    assert json.loads(body)["results"] or label == "partner", (label, path)
                    readers[label] = headers
                status, _h, body = server.request("GET", f"/bench/bare/{name}/{query}")
                assert status == 200, (name, status, body[:200])
                peer_ids = [row["id"] for row in json.loads(body)["results"]]
                if "staff" in readers:  # the peer reads the staff's first page
                    _s, _h, page = server.request("GET", path, headers=readers["staff"])
                    assert peer_ids == [r["id"] for r in json.loads(page)["results"]], name
                bare = max_throughput(server.port, f"/bench/bare/{name}/{query}", {}, seconds)
                rows.append(Row("api", f"{name}: bare .values(), same columns", bare, "req/s"))
                narrow = max_throughput(server.port, f"/bench/narrow/{name}/{query}", {}, seconds)
                rows.append(
                    Row("api", f"{name}: (sub-row) narrow peer of earlier runs", narrow, "req/s")
                )
                for label, headers in readers.items():
                    rps = max_throughput(server.port, path, headers, seconds)
                    ratio = rps / bare
                    rows.append(
                        Row("api", f"{name} as {label}: (sub-row) ÷ narrow peer", rps / narrow, "×")
                    )
                    p99 = p99_at(server.port, path, headers, 0.7 * rps, seconds)
                    rows.append(
                        Row(
                            "api",
                            f"{name} as {label}: {rps:,.0f} req/s",
                            ratio,
                            "× bare",
                            f"≥ {RATIO_TARGET}",
                            ratio >= RATIO_TARGET,
                        )
                    )
                    rows.append(
                        Row(
                            "api",
                            f"{name} as {label}: p99 at 70% load",
                            p99,
                            "ms",
                            f"≤ {P99_TARGET_MS:.0f} ms",
                            p99 <= P99_TARGET_MS,
                        )
                    )
        finally:
            server.stop()
    return rows
