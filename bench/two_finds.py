"""The two finds end to end, beside Splink, on the same files in the same run.

For each scale (``--small``: 20,000 workers × 1,000 members; otherwise 200,000 × 10,000 and
2,000,000 × 100,000; ``BENCH_TWO_FINDS_SCALES=200000x10000,...`` overrides) the rosters are
generated (``demo.synthetic``: most members not among the workers, namesakes with a
member's birth date and their own valid ID, family phones, traditional characters,
homophone, near-sound and look-alike characters, moved districts, missing and mistyped IDs)
and written as the CSV files the commands take. Then, timed, on the configured database:

* **this project** — the documented commands, one after the other, as a user runs them:
  ``import_members``, ``import_workers``, ``run_two_finds --wait`` and ``export_two_finds``
  (in this process through ``call_command``; a separate ``manage.py`` process start is
  measured once and shown on its own row). With ``REDIS_URL`` set the job runs on two Celery
  worker processes started here (the chunks in parallel); without it, eagerly in-process.
* **Splink 5** (DuckDB, 2 threads) — from the same two files to its links: load and prepare
  the columns in DuckDB, estimate λ, u by random sampling and m by EM on two blocking rules,
  predict with the same blocking rules, keep pairs with match probability ≥ 0.9.

Quality is measured against the generator's truth for both. Peak memory is the largest
resident set of this process during each step (sampled every 50 ms). The engine on arrays
already in memory is a sub-row: not what a user waits for.
"""

from __future__ import annotations

import io
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from bench.common import Row
from demo.synthetic import Generator, Province, hex_index

ID_SALT, PHONE_SALT = 0x1D, 0x9E
SPLINK_THRESHOLD = 0.9
SIDE: list[tuple[str, str, float, float, str]] = []  # printed side by side at the end


# --- measuring -----------------------------------------------------------------------------------


class PeakMemory:
    """The largest resident set size of this process while a block runs (MiB)."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()

    @staticmethod
    def rss() -> float:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self.peak = self.rss()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


@contextmanager
def timed(into: dict, name: str):
    memory = PeakMemory()
    started = time.perf_counter()
    with memory:
        yield
    into[name] = (time.perf_counter() - started, memory.peak)


# --- files -------------------------------------------------------------------------------------


def write_files(province: Province, folder: Path) -> tuple[Path, Path]:
    from members.services.intake import MEMBER_COLUMNS, WORKER_COLUMNS

    members, workers = province.members, province.workers
    m_path, w_path = folder / "members.csv", folder / "workers.csv"
    with m_path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(MEMBER_COLUMNS) + "\n")
        for i, (name, id_number, phone) in enumerate(
            zip(members.name, members.id_numbers(), members.phones(), strict=True)
        ):
            out.write(f"M{i:07d},{name},{id_number},{phone},full,bench-branch,,2015-07-01,false\n")
    with w_path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(WORKER_COLUMNS) + "\n")
        industry = workers.industry.tolist()
        district = workers.district.tolist()
        for i, (name, id_number, phone) in enumerate(
            zip(workers.name, workers.id_numbers(), workers.phones(), strict=True)
        ):
            ind = f"industry-{industry[i]}" if industry[i] else ""
            out.write(f"W{i:08d},{name},{id_number},{phone},{ind},,{district[i]},masses,,\n")
    return m_path, w_path


def reference_world(province: Province) -> None:
    """The divisions, industries and the branch the files name (not timed)."""
    from organizations.choices import OrganizationBasis, OrganizationKind, RegionLevel
    from organizations.models import Industry, PartyOrganization, Region

    root, _ = Region.objects.get_or_create(
        code="320000", defaults={"name": "江苏省", "level": RegionLevel.CITY}
    )
    codes = set(province.workers.district.tolist()) | set(province.members.district.tolist())
    for code in sorted(codes):
        city, _ = Region.objects.get_or_create(
            code=f"{code // 100}00",
            defaults={"name": f"市{code // 100}", "level": RegionLevel.CITY, "parent": root},
        )
        Region.objects.get_or_create(
            code=str(code),
            defaults={"name": f"区{code}", "level": RegionLevel.DISTRICT, "parent": city},
        )
    for i in range(1, 6):
        Industry.objects.get_or_create(code=f"industry-{i}", defaults={"name": f"行业{i}"})
    PartyOrganization.objects.get_or_create(
        code="bench-branch",
        defaults={
            "name": "基准党支部",
            "kind": OrganizationKind.BRANCH,
            "basis": OrganizationBasis.UNIT,
        },
    )


# --- this project --------------------------------------------------------------------------------


@contextmanager
def celery_workers(n_workers: int):
    """Two Celery worker processes on the bench database when a broker is configured; the
    chunks of the job are then shared between them. Without a broker, tasks run eagerly."""
    from django.conf import settings
    from django.db import connection

    from portal.celery import app

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            yield "eager"
        finally:
            app.conf.task_always_eager = eager
        return
    name = connection.settings_dict["NAME"]
    url = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{url['USER']}@{url['HOST']}:{url['PORT']}/{name}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-c", "2", "-P", "prefork",
         "--loglevel", "WARNING", "-n", f"bench-{os.getpid()}@%h"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(8)  # let both processes start and connect
        yield "2 Celery workers"
    finally:
        process.terminate()
        process.wait(30)


def run_project(m_path: Path, w_path: Path, folder: Path, n_workers: int) -> dict:
    from django.core.management import call_command

    times: dict = {}
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    with timed(times, "import_members"):
        call_command("import_members", str(m_path), **quiet)
    with timed(times, "import_workers"):
        call_command("import_workers", str(w_path), "--source", "bench", **quiet)
    chunk = str(math.ceil(n_workers / 2))  # two chunks: one per core (and worker process)
    with celery_workers(n_workers) as mode:
        out = io.StringIO()
        with timed(times, "run_two_finds"):
            call_command(
                "run_two_finds", "--wait", "--chunk-size", chunk, stdout=out, stderr=io.StringIO()
            )
    times["mode"] = mode
    times["job"] = out.getvalue()
    times["job_steps"] = _job_steps()
    with timed(times, "export_two_finds"):
        call_command("export_two_finds", str(folder / "proposals.csv"), **quiet)
    return times


def _job_steps() -> dict:
    """Where the run's time went, as the job's summary records it (plan, each chunk's load,
    score and write, the decision with the cases)."""
    from core.models import JobRun

    result = (
        JobRun.objects.filter(kind="two_finds").order_by("-pk").values_list("result", flat=True)
    ).first()
    return (result or {}).get("step_seconds") or {}


def _step_rows(label: str, steps: dict) -> list[tuple]:
    nan = float("nan")
    chunks = steps.get("chunks") or [{}]
    slowest = max(chunks, key=lambda c: sum(c.values()))
    return [
        (label, "    plan: chunks and the estimation (s)", steps.get("plan", nan), nan, ""),
        (label, f"    slowest of {len(chunks)} chunks: loading (s)", slowest.get("load", nan),
         nan, ""),
        (label, "    slowest chunk: scoring (s)", slowest.get("score", nan), nan, ""),
        (label, "    slowest chunk: writing proposals (s)", slowest.get("write", nan), nan, ""),
        (label, "    decision and cases (s)", steps.get("finish", nan), nan, ""),
    ]  # fmt: skip


def project_links(province: Province) -> tuple[set, set]:
    from members.models import MatchProposal

    rows = MatchProposal.objects.values_list(
        "worker__external_id", "member__member_id", "status"
    ).iterator(chunk_size=20_000)
    auto, review = set(), set()
    for worker, member, status in rows:
        pair = (int(worker[1:]), int(member[1:]))
        if status == "auto_accepted":
            auto.add(pair)
        elif status == "proposed":
            review.add(pair)
    return auto, review


def startup_seconds() -> float:
    """What starting one of the roster commands costs before it reads a row: a ``manage.py``
    process with Django's set-up and the command's parser (``--help``; these commands skip the
    system checks, see ``core.commands.OperatorCommand``). Best of three starts."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "import_workers", "--help"],
            capture_output=True, env={**os.environ, "DEBUG": "1"}, check=False,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
    return min(times)


# --- Splink ----------------------------------------------------------------------------------


def run_splink(m_path: Path, w_path: Path) -> tuple[dict, set]:
    import duckdb
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    times: dict = {}
    with timed(times, "splink_total"):
        with timed(times, "splink_load"):
            con = duckdb.connect()
            con.execute("SET threads = 2")
            for table, path in (("m_raw", m_path), ("w_raw", w_path)):
                con.execute(
                    f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header=true, "
                    "all_varchar=true)"
                )
            prepare = """
                CREATE TABLE {out} AS SELECT
                    {key} AS unique_id,
                    name,
                    substr(name, 1, 1) AS surname,
                    NULLIF(id_number, '') AS id_number,
                    NULLIF(phone, '') AS phone,
                    CASE WHEN length(id_number) = 18 THEN substr(id_number, 7, 8) END AS birth,
                    {district} AS district
                FROM {raw}
            """
            con.execute(
                prepare.format(out="members", key="member_id", raw="m_raw", district="NULL")
            )
            con.execute(
                prepare.format(
                    out="workers", key="external_id", raw="w_raw", district="region_code"
                )
            )
        with timed(times, "splink_match"):
            db_api = DuckDBAPI(connection=con)
            members = db_api.register("members", table_name="members_in")
            workers = db_api.register("workers", table_name="workers_in")
            rules = [
                block_on("id_number"),
                block_on("phone"),
                block_on("birth", "surname"),
                block_on("name"),
            ]
            settings = SettingsCreator(
                link_type="link_only",
                comparisons=[
                    cl.JaroWinklerAtThresholds("name", [0.9, 0.7]),
                    cl.LevenshteinAtThresholds("id_number", [1, 2]),
                    cl.ExactMatch("phone"),
                    cl.LevenshteinAtThresholds("birth", [1]),
                    cl.ExactMatch("district"),
                ],
                blocking_rules_to_generate_predictions=rules,
            )
            linker = Linker([workers, members], settings, log_level="WARNING")
            linker.training.estimate_probability_two_random_records_match(
                [block_on("id_number")], recall=0.9
            )
            linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on("birth", "surname")
            )
            linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
            predictions = linker.inference.predict(threshold_match_probability=SPLINK_THRESHOLD)
            links = con.execute(
                f"SELECT unique_id_l, unique_id_r FROM {predictions.physical_name}"
            ).fetchall()
    found = set()
    for left, right in links:
        worker, member = (left, right) if left.startswith("W") else (right, left)
        found.add((int(worker[1:]), int(member[1:])))
    con.close()
    return times, found


# --- the engine on arrays (a sub-row) -----------------------------------------------------------


def engine_seconds(province: Province) -> tuple[float, dict]:
    from members import matching as mt

    raw = {
        side: (hex_index(s.id_body, ID_SALT), hex_index(s.phone, PHONE_SALT))
        for side, s in (("w", province.workers), ("m", province.members))
    }
    w_ids, m_ids = province.workers.id_numbers(), province.members.id_numbers()
    started = time.perf_counter()
    names = mt.NameTable()

    def people(s, keys):
        return mt.People(
            pk=np.arange(len(s)),
            id_key=mt.index_keys(keys[0]),
            phone_key=mt.index_keys(keys[1]),
            name_key=names.encode(s.name),
            birth=s.birth,
            gender=s.gender,
            district=s.district,
            industry=s.industry,
        )

    members, workers = people(province.members, raw["m"]), people(province.workers, raw["w"])

    def typo(wi, mi):
        return mt.clerk_patterns([w_ids[i] for i in wi.tolist()], [m_ids[i] for i in mi.tolist()])

    result = mt.match(workers, members, names, id_typo=typo)
    return time.perf_counter() - started, result.counts


# --- one scale ---------------------------------------------------------------------------------


def quality(truth: set, auto: set, review: set) -> dict:
    found = auto | review
    return {
        "auto_precision": len(auto & truth) / max(len(auto), 1),
        "auto_recall": len(auto & truth) / max(len(truth), 1),
        "precision": len(found & truth) / max(len(found), 1),
        "recall": len(found & truth) / max(len(truth), 1),
        "review": len(review),
        "review_strangers": len(review - truth),
        "queue_share": len(review) / max(len(truth), 1),
    }


def one_scale(n_workers: int, n_members: int, folder: Path, startup: float) -> list[Row]:
    label = f"{n_workers:,} × {n_members:,}"
    started = time.perf_counter()
    province = Generator(2026).province(n_workers, n_members)
    m_path, w_path = write_files(province, folder)
    reference_world(province)
    print(
        f"two_finds {label}: generated and written in {time.perf_counter() - started:.1f} s; "
        f"{len(province.truth):,} true links; {province.corruption_counts}",
        file=sys.stderr,
    )
    truth = {(int(w), int(m)) for w, m in province.truth.tolist()}

    splink_times, splink_found = run_splink(m_path, w_path)
    ours = run_project(m_path, w_path, folder, n_workers)
    auto, review = project_links(province)
    engine_s, counts = engine_seconds(province)
    print(f"two_finds {label}: job {ours['job']}engine counts {counts}", file=sys.stderr)

    q = quality(truth, auto, review)
    s = quality(truth, set(), splink_found)
    steps = ("import_members", "import_workers", "run_two_finds", "export_two_finds")
    total = sum(ours[k][0] for k in steps) + len(steps) * startup
    splink_total = splink_times["splink_total"][0]
    match_ours, match_splink = ours["run_two_finds"][0], splink_times["splink_match"][0]
    peak_ours = max(ours[k][1] for k in steps)
    peak_splink = splink_times["splink_total"][1]
    rate_new = n_workers / ours["import_workers"][0]

    loading = ours["import_members"][0] + ours["import_workers"][0]
    SIDE.extend(
        [
            (label, "time, files to links (s)", total, splink_total, "time"),
            (label, "  reading the files (s)", loading, splink_times["splink_load"][0], "time"),
            (label, "  matching (s): run_two_finds | train + predict", match_ours, match_splink,
             "time"),
            *_step_rows(label, ours["job_steps"]),
            (label, "  export (s)", ours["export_two_finds"][0], float("nan"), ""),
            (label, "found (accepted + review): recall", q["recall"], s["recall"], "share"),
            (label, "found: precision", q["precision"], s["precision"], "share"),
            (label, "auto-accepted recall", q["auto_recall"], float("nan"), ""),
            (label, "auto-accepted precision", q["auto_precision"], float("nan"), ""),
            (label, f"review queue ({q['review_strangers']:,} strangers)", q["review"],
             float("nan"), ""),
            (label, "peak memory of a step (MiB)", peak_ours, peak_splink, "memory"),
        ]
    )  # fmt: skip
    name = "two_finds"
    big = n_workers >= 2_000_000
    return [
        Row(name, f"{label}: files to cases, this project ({ours['mode']})", total, "s",
            "< Splink", total < splink_total),
        Row(name, f"{label}: files to links, Splink 5 (DuckDB, 2 threads)", splink_total, "s"),
        Row(name, f"{label}: import_workers (new roster)", rate_new, "rows/s", "≥ 50,000",
            rate_new >= 50_000),
        Row(name, f"{label}: run_two_finds vs Splink train + predict", match_splink / match_ours,
            "× faster", "≥ 5×", match_splink / match_ours >= 5),
        Row(name, f"{label}: auto-accepted precision", 100 * q["auto_precision"], "%",
            "≥ 99.9 %", q["auto_precision"] >= 0.999),
        Row(name, f"{label}: auto-accepted recall", 100 * q["auto_recall"], "%", "≥ 96 %",
            q["auto_recall"] >= 0.96),
        Row(name, f"{label}: recall with the review queue (Splink {100 * s['recall']:.2f} %)",
            100 * q["recall"], "%", "≥ Splink", q["recall"] >= s["recall"]),
        Row(name, f"{label}: review queue ÷ true links", 100 * q["queue_share"], "%", "≤ 5 %",
            q["queue_share"] <= 0.05),
        Row(name, f"{label}: peak memory of any step", peak_ours / 1024, "GiB", "≤ 4 GiB",
            peak_ours <= 4096),
        *([Row(name, f"{label}: end to end", total, "s", "≤ 180 s", total <= 180)] if big else []),
        Row(name, f"{label}: (sub-row) engine on arrays in memory", engine_s, "s"),
    ]  # fmt: skip


def scales(small: bool) -> list[tuple[int, int]]:
    given = os.environ.get("BENCH_TWO_FINDS_SCALES")
    if given:
        return [tuple(int(x) for x in part.split("x")) for part in given.split(",")]  # type: ignore[misc]
    return [(20_000, 1_000)] if small else [(200_000, 10_000), (2_000_000, 100_000)]


def run(small: bool) -> list[Row]:
    from django.core.management import call_command

    SIDE.clear()
    startup = startup_seconds()
    rows = [
        Row("two_finds", "start of one manage.py process (counted once per command)", startup, "s")
    ]
    for index, (n_workers, n_members) in enumerate(scales(small)):
        if index:
            call_command("flush", interactive=False, verbosity=0)
        with tempfile.TemporaryDirectory(prefix="bench-two-finds-") as folder:
            rows += one_scale(n_workers, n_members, Path(folder), startup)
    print_side_by_side()
    return rows


def _cell(value: float, kind: str) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "—"
    if kind == "share" or (isinstance(value, float) and value <= 1.0):
        return f"{value:.4f}"
    return f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"


def print_side_by_side() -> None:
    """The two side by side, with the ratio (Splink ÷ this project for times and memory,
    this project ÷ Splink for shares)."""
    header = ("scale", "measure", "this project", "Splink 5", "ratio")
    lines = []
    for label, measure, ours, theirs, kind in SIDE:
        ratio = ""
        if kind and ours and theirs and not math.isnan(theirs):
            ratio = (
                f"{theirs / ours:.2f}×" if kind in ("time", "memory") else f"{ours / theirs:.3f}"
            )
        lines.append((label, measure, _cell(ours, kind), _cell(theirs, kind), ratio))
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    print("\nTwo finds, same files, same run (ratio: how many times faster or smaller we are):")
    for line in (header, tuple("-" * w for w in widths), *lines):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=False)))
    print()


if __name__ == "__main__":
    sys.exit("run it through the bench runner: python -m bench two_finds [--small]")
