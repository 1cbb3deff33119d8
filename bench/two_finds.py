"""The two finds at province scale: 2,000,000 workers × 100,000 party members.

What is timed, separately:

* **engine** — ``members.matching`` on data already in memory as the database hands it over
  (names as strings, blind indexes as hex strings, dates as day numbers, region and industry
  ids): *prepare* builds the columns (name keys and pinyin, index keys), *match* blocks, scores
  and decides. Target: prepare + match ≤ 10 s on 2 cores. The blind indexes are stand-ins (a
  keyed 64-bit hash of the value as hex): the HMAC is computed at intake, never by the matcher.
* **all pairs** — the same scorer on a random sample of all worker × member pairs, scaled to
  the full cross product: the engine must be ≥ 90× faster.
* **DB-backed job** — ``two_finds_run`` end to end (values_list reads, matching, proposals
  written, cases opened, ``matched_at`` updated) on rows inserted through the protected
  fields: 20,000 × 1,000 with ``--small``, 100,000 × 5,000 otherwise.

Quality against the generator's truth (members/synthetic.py): auto-accepted precision ≥
0.999 and recall ≥ 0.96; with the review queue recall ≥ 0.99 and the queue ≤ 5% of the true
links. The engine never sees the truth. ``python -m bench.two_finds --estimate`` prints the
observed m/u per field level behind the constants in ``members.matching.FIELD_MODELS``.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from bench.common import Row
from demo.synthetic import Generator, Province, Side, hex_index
from members import matching as mt

ID_SALT, PHONE_SALT = 0x1D, 0x9E


def _people(side: Side, names: mt.NameTable, raw: dict[str, list[str]]) -> mt.People:
    return mt.People(
        pk=np.arange(1, len(side) + 1),
        id_key=mt.index_keys(raw["id"]),
        phone_key=mt.index_keys(raw["phone"]),
        name_key=names.encode(side.name),
        birth=side.birth,
        gender=side.gender,
        district=side.district,
        industry=side.industry,
    )


def _quality(truth: set, auto: set, review: set) -> dict[str, float]:
    true_auto = len(auto & truth)
    true_review = len(review & truth)
    return {
        "precision": true_auto / max(len(auto), 1),
        "recall": true_auto / max(len(truth), 1),
        "recall_with_review": (true_auto + true_review) / max(len(truth), 1),
        "queue_share": len(review) / max(len(truth), 1),
        "false_auto": len(auto - truth),
        "auto": len(auto),
        "review": len(review),
    }


def _pairs(result: mt.MatchResult, status: int, offset: int = 0) -> set:
    keep = result.status == status
    return set(
        zip(
            (result.worker_pk[keep] - offset).tolist(),
            (result.member_pk[keep] - offset).tolist(),
            strict=True,
        )
    )


def engine_rows(province: Province, label: str) -> tuple[list[Row], float]:
    workers_side, members_side = province.workers, province.members
    raw = {
        "w": {
            "id": hex_index(workers_side.id_body, ID_SALT),
            "phone": hex_index(workers_side.phone, PHONE_SALT),
        },
        "m": {
            "id": hex_index(members_side.id_body, ID_SALT),
            "phone": hex_index(members_side.phone, PHONE_SALT),
        },
    }
    cpu, wall = time.process_time(), time.perf_counter()
    names = mt.NameTable()
    members = _people(members_side, names, raw["m"])
    workers = _people(workers_side, names, raw["w"])
    prepared = time.perf_counter()
    result = mt.match(workers, members, names)
    finished = time.perf_counter()
    cpu = time.process_time() - cpu
    prepare_s, match_s, total_s = prepared - wall, finished - prepared, finished - wall

    truth = {(w + 1, m + 1) for w, m in province.truth.tolist()}
    quality = _quality(truth, _pairs(result, mt.AUTO), _pairs(result, mt.REVIEW))
    print(
        f"two_finds: {len(truth):,} true links; corruptions {province.corruption_counts}; "
        f"counts {result.counts}",
        file=sys.stderr,
    )

    # All pairs, on a sample scored by the same scorer.
    rng = np.random.default_rng(1)
    n_sample = 2_000_000 if len(workers) > 100_000 else 200_000
    wi = rng.integers(0, len(workers), n_sample)
    mi = rng.integers(0, len(members), n_sample)
    started = time.perf_counter()
    mt.score_pairs(workers, members, names, wi, mi)
    per_pair = (time.perf_counter() - started) / n_sample
    all_pairs_s = per_pair * len(workers) * len(members)
    speedup = all_pairs_s / total_s

    name = "two_finds"
    rows = [
        Row(name, f"engine prepare (columns from loaded lists), {label}", prepare_s, "s"),
        Row(name, "engine match (blocking + scoring + decision)", match_s, "s"),
        Row(name, "engine prepare + match, wall clock", total_s, "s", "≤ 10 s", total_s <= 10),
        Row(name, "engine prepare + match, CPU time of this process", cpu, "s"),
        Row(name, "candidate pairs scored", result.counts["candidates"], "pairs"),
        Row(name, "true links hidden in the rosters", len(truth), "links"),
        Row(
            name,
            "auto-accepted precision",
            100 * quality["precision"],
            "%",
            "≥ 99.9 %",
            quality["precision"] >= 0.999,
        ),
        Row(name, f"false auto-accepts (of {quality['auto']:,})", quality["false_auto"], ""),
        Row(
            name,
            "auto-accepted recall",
            100 * quality["recall"],
            "%",
            "≥ 96 %",
            quality["recall"] >= 0.96,
        ),
        Row(
            name,
            "recall with the review queue",
            100 * quality["recall_with_review"],
            "%",
            "≥ 99 %",
            quality["recall_with_review"] >= 0.99,
        ),
        Row(
            name,
            f"review queue ({quality['review']:,} proposals) ÷ true links",
            100 * quality["queue_share"],
            "%",
            "≤ 5 %",
            quality["queue_share"] <= 0.05,
        ),
        Row(
            name,
            f"all pairs scaled from a {n_sample:,}-pair sample ({per_pair * 1e9:.0f} ns/pair)",
            all_pairs_s,
            "s",
        ),
        Row(name, "speed-up over comparing all pairs", speedup, "×", "≥ 90×", speedup >= 90),
    ]
    return rows, total_s


# --- the DB-backed job ---------------------------------------------------------------------------


def _load(province: Province):
    """Insert the province through the models (encrypted values, blind indexes, derived
    fields); returns the worker and member pks in generator order."""
    from members.models import PartyMember, Worker
    from organizations.choices import OrganizationBasis, OrganizationKind, RegionLevel
    from organizations.models import Industry, PartyOrganization, Region

    # bench.scope may have created the same divisions in this database already.
    province_region, _ = Region.objects.get_or_create(
        code="320000", defaults={"name": "江苏省", "level": RegionLevel.CITY}
    )
    codes = set(province.workers.district.tolist()) | set(province.members.district.tolist())
    regions = {}
    for code in sorted(codes):
        city, _ = Region.objects.get_or_create(
            code=f"{code // 100}00",
            defaults={
                "name": f"市{code // 100}",
                "level": RegionLevel.CITY,
                "parent": province_region,
            },
        )
        regions[code] = Region.objects.get_or_create(
            code=str(code),
            defaults={"name": f"区{code}", "level": RegionLevel.DISTRICT, "parent": city},
        )[0].pk
    industries = {
        i: Industry.objects.create(code=f"industry-{i}", name=f"行业{i}").pk for i in range(1, 6)
    }
    branch = PartyOrganization.objects.create(
        code="bench-branch",
        name="基准党支部",
        kind=OrganizationKind.BRANCH,
        basis=OrganizationBasis.UNIT,
    )

    def rows(side: Side, make):
        ids, phones = side.id_numbers(), side.phones()
        for i in range(len(side)):
            obj = make(i)
            obj.name, obj.id_number, obj.phone = side.name[i], ids[i], phones[i]
            obj.region_id = regions.get(int(side.district[i]))
            obj.industry_id = industries.get(int(side.industry[i]))
            obj.derive_identity()
            yield obj

    members = list(
        rows(
            province.members,
            lambda i: PartyMember(member_id=f"M{i:07d}", organization_id=branch.pk),
        )
    )
    PartyMember.objects.bulk_create(members, batch_size=5_000)
    workers = list(
        rows(province.workers, lambda i: Worker(source="bench", external_id=f"W{i:08d}"))
    )
    Worker.objects.bulk_create(workers, batch_size=5_000)
    return [w.pk for w in workers], [m.pk for m in members]


def db_rows(province: Province, label: str) -> list[Row]:
    from django.db import connection

    from core.jobs import job_create
    from members.models import MatchProposal
    from members.services.two_finds import JOB_KIND, two_finds_run

    started = time.perf_counter()
    worker_pks, member_pks = _load(province)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    load_s = time.perf_counter() - started
    job = job_create(actor=None, kind=JOB_KIND)
    started = time.perf_counter()
    result = two_finds_run(job=job)
    job_s = time.perf_counter() - started

    truth = {(worker_pks[w], member_pks[m]) for w, m in province.truth.tolist()}
    decided = MatchProposal.objects.values_list("worker_id", "member_id", "status")
    auto = {(w, m) for w, m, s in decided if s == "auto_accepted"}
    review = {(w, m) for w, m, s in decided if s == "proposed"}
    quality = _quality(truth, auto, review)
    print(f"two_finds DB job: {result}", file=sys.stderr)
    name = "two_finds"
    return [
        Row(name, f"DB: insert {label} through the protected fields (not timed)", load_s, "s"),
        Row(name, f"DB-backed job end to end ({connection.vendor}), {label}", job_s, "s"),
        Row(name, "DB job: proposals created", result["created"], "rows"),
        Row(name, "DB job: cases opened", result["cases_opened"], "cases"),
        Row(name, "DB job: auto-accepted precision", 100 * quality["precision"], "%"),
        Row(name, "DB job: auto-accepted recall", 100 * quality["recall"], "%"),
        Row(name, "DB job: recall with the review queue", 100 * quality["recall_with_review"], "%"),
    ]


def run(small: bool) -> list[Row]:
    n_workers, n_members = (20_000, 1_000) if small else (2_000_000, 100_000)
    started = time.perf_counter()
    province = Generator(2026).province(n_workers, n_members)
    print(f"two_finds: generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    rows, _ = engine_rows(province, f"{n_workers:,} × {n_members:,}")
    del province
    db_workers, db_members = (20_000, 1_000) if small else (100_000, 5_000)
    db_province = Generator(7).province(db_workers, db_members)
    rows += db_rows(db_province, f"{db_workers:,} × {db_members:,}")
    return rows


# --- where the m/u constants come from -----------------------------------------------------------


def estimate(n_workers: int = 2_000_000, n_members: int = 100_000) -> None:
    """Print the observed share of each agreement level among true links (m) and among a
    random sample of non-links (u), with log2(m/u), next to the constants in use."""
    province = Generator(2026).province(n_workers, n_members)
    names = mt.NameTable()
    raw = {
        tag: {"id": hex_index(s.id_body, ID_SALT), "phone": hex_index(s.phone, PHONE_SALT)}
        for tag, s in (("w", province.workers), ("m", province.members))
    }
    members = _people(province.members, names, raw["m"])
    workers = _people(province.workers, names, raw["w"])
    rng = np.random.default_rng(3)
    true_w, true_m = province.truth[:, 0], province.truth[:, 1]
    rand_w = rng.integers(0, len(workers), 2_000_000)
    rand_m = rng.integers(0, len(members), 2_000_000)
    truth = set(zip(true_w.tolist(), true_m.tolist(), strict=True))
    keep = np.array(
        [(w, m) not in truth for w, m in zip(rand_w.tolist(), rand_m.tolist(), strict=True)]
    )
    rand_w, rand_m = rand_w[keep], rand_m[keep]

    def levels(wi, mi):
        name_level, _, _ = mt.name_levels(workers.name_key[wi], members.name_key[mi], names)
        return {
            "id_number": mt._level(workers.id_key[wi], members.id_key[mi]),
            "phone": mt._level(workers.phone_key[wi], members.phone_key[mi]),
            "birth_date": mt.birth_levels(workers.birth[wi], members.birth[mi]),
            "gender": mt._level(workers.gender[wi], members.gender[mi]),
            "district": mt._level(workers.district[wi], members.district[mi]),
            "industry": mt._level(workers.industry[wi], members.industry[mi]),
            "name": name_level,
        }

    m_levels, u_levels = levels(true_w, true_m), levels(rand_w, rand_m)
    for field, model in mt.FIELD_MODELS.items():
        labels = mt.NAME_LABELS if field == "name" else mt.LEVEL_LABELS
        m_known = m_levels[field][m_levels[field] != mt.MISSING]
        u_known = u_levels[field][u_levels[field] != mt.MISSING]
        for level, (m_used, u_used) in model.items():
            m_obs = float((m_known == level).mean()) if len(m_known) else 0.0
            u_obs = float((u_known == level).mean()) if len(u_known) else 0.0
            observed = math.log2(m_obs / u_obs) if m_obs and u_obs else float("nan")
            print(
                f"{field:10} {labels[level]:10} m={m_obs:.4f} u={u_obs:.2e} "
                f"log2={observed:6.2f} | used m={m_used} u={u_used:.1e} "
                f"w={math.log2(m_used / u_used):6.2f}"
            )


if __name__ == "__main__":
    if "--estimate" in sys.argv:
        estimate(*(int(a) for a in sys.argv[1:] if a.isdigit()))
    else:
        sys.exit("usage: python -m bench.two_finds --estimate [workers members]")
