"""The pure generator: from ``(scale, seed)`` a :class:`DemoPlan` of regions, enterprises,
organizations and instructors, with one ``random.Random(seed)`` and a fixed reference date."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from typing import Any

from core.dates import add_years
from core.identity import USCC_ALPHABET, make_uscc, org_code_check_char
from organizations.choices import (
    EnterpriseKind,
    RegionLevel,
)

from .organize import OrganizeMixin
from .reference import (
    BRANDS,
    CITY_CODE,
    DATA_FILE,
    DEFAULT_SEED,
    DEPARTMENTS,
    DIGITS,
    DISTRICT_UNITS,
    GIVEN_CHARS,
    INDUSTRIES,
    PROVINCE_CITIES,
    REFERENCE_DATE,
    ROADS,
    SCALE_CONFIGS,
    SCALES,
    SURNAMES,
    SYNTHETIC_DISTRICTS,
    SYNTHETIC_STREETS,
    TRADE_WORDS,
    USCC_LETTERS,
    cn_number,
    short_region_name,
)
from .specs import (
    DemoPlan,
    DepartmentSpec,
    EnterpriseSpec,
    IndustrySpec,
    RegionSpec,
)

# --- the generator ----------------------------------------------------------------------------


#: A term in order ends at least this long after the reference date (no reminder due).
TERM_MARGIN_DAYS = 400
#: Share of organizations deliberately overdue for election (the tree's 换届提醒).
OVERDUE_TERM_SHARE = 0.015


class _Generator(OrganizeMixin):
    def __init__(self, scale: str, seed: int):
        if scale not in SCALE_CONFIGS:
            raise ValueError(f"Unknown scale {scale!r}; use one of {', '.join(SCALES)}.")
        self.scale = scale
        self.config = SCALE_CONFIGS[scale]
        self.rng = random.Random(seed)
        self.plan = DemoPlan(scale=scale, seed=seed)
        self.usccs: set[str] = set()
        self.hq_by_brand: dict[str, str] = {}

    # small helpers

    def person_name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        d = start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))
        return d.replace(day=min(d.day, 28))

    def count(self, lo_hi: tuple[int, int], density: float | None = None) -> int:
        density = self.config.density if density is None else density
        lo, hi = lo_hi
        raw = self.rng.uniform(lo, hi + 1) * density
        return int(raw)

    def uscc(self, region_code: str) -> str:
        """A valid, unique USCC: 9 (market regulation) 1 (company) + region + organization
        code (8 characters and its own check character) + check character."""
        rng = self.rng
        while True:
            if rng.random() < 0.6:
                # Codes issued since 2015 (MA + a letter, e.g. MA1M…); older ones are digits.
                body = "MA" + rng.choice(USCC_LETTERS) + "".join(rng.choices(USCC_ALPHABET, k=5))
            else:
                body = rng.choice("3567") + "".join(rng.choices(DIGITS, k=7))
            code = make_uscc(f"91{region_code}{body}{org_code_check_char(body)}")
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def term_end(self, founded: dt.date, years: int) -> dt.date:
        """The end of the current term, well after the reference date so that the tree is in
        order (换届提醒 only where meant); about 1.5% of the organizations are overdue for
        election, the deliberate cases the organization tree flags."""

        def end(k: int) -> dt.date:
            return add_years(founded, k * years)

        calm = REFERENCE_DATE + dt.timedelta(days=TERM_MARGIN_DAYS)
        k = 1
        while end(k) <= calm:
            k += 1
        if k > 1 and self.rng.random() < OVERDUE_TERM_SHARE:
            overdue = k - 1
            while overdue > 1 and end(overdue) > REFERENCE_DATE:
                overdue -= 1
            if end(overdue) <= REFERENCE_DATE:  # else too young to be overdue: in order
                k = overdue
        return end(k)

    # structure

    def build(self) -> DemoPlan:
        plan = self.plan
        plan.departments = [DepartmentSpec(c, n, s) for c, n, s in DEPARTMENTS]
        plan.industries = [
            IndustrySpec(i.code, i.name, i.department, n) for n, i in enumerate(INDUSTRIES, 1)
        ]
        changzhou = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        cities = [changzhou]
        if self.config.other_cities:
            cities = [
                changzhou if code == CITY_CODE else self.synthetic_city(code, name)
                for code, name in PROVINCE_CITIES
            ]
        city_regions = [self.regions_of(city) for city in cities]
        # Platform headquarters once, in Changzhou: every city's units point to the same brands.
        hqs = self.headquarters()
        for city, streets in zip(cities, city_regions, strict=True):
            self.city_content(city, streets, hqs if city is changzhou else [])
        self.instructors_and_grades()
        return plan

    def synthetic_city(self, code: str, name: str) -> dict[str, Any]:
        rng = self.rng
        districts = []
        for i, dname in enumerate(rng.sample(SYNTHETIC_DISTRICTS, rng.randint(6, 9))):
            dcode = f"{code[:4]}{2 * i + 2:02d}"
            streets = [
                {"code": f"{dcode}{j + 1:03d}", "name": f"{sname}街道"}
                for j, sname in enumerate(rng.sample(SYNTHETIC_STREETS, rng.randint(6, 13)))
            ]
            districts.append({"code": dcode, "name": f"{dname}区", "streets": streets})
        return {
            "city": {"code": code, "name": name},
            "districts": districts,
            "management_zones": [],
            "communities": [],
        }

    def regions_of(self, city: dict[str, Any]) -> list[dict[str, Any]]:
        """Add the regions of ``city`` to the plan; return its streets with their communities."""
        regions = self.plan.regions
        ccode = city["city"]["code"]
        regions.append(
            RegionSpec(
                ccode,
                city["city"]["name"],
                RegionLevel.CITY,
                short_name=short_region_name(city["city"]["name"]),
            )
        )
        managed: dict[str, str] = {}
        for zone in city.get("management_zones", []):
            regions.append(
                RegionSpec(
                    zone["code"],
                    zone["name"],
                    RegionLevel.ZONE,
                    parent=ccode,
                    short_name=zone.get("short_name", ""),
                )
            )
            for street_code in zone["street_codes"]:
                managed[street_code] = zone["code"]
        communities = defaultdict(list)
        for c in city.get("communities", []):
            communities[c["street_code"]].append(c)
        streets_out = []
        for d in city["districts"]:
            regions.append(
                RegionSpec(
                    d["code"],
                    d["name"],
                    RegionLevel.DISTRICT,
                    parent=ccode,
                    short_name=short_region_name(d["name"]),
                )
            )
        for d in city["districts"]:
            for s in d["streets"]:
                regions.append(
                    RegionSpec(
                        s["code"],
                        s["name"],
                        RegionLevel.STREET,
                        parent=d["code"],
                        short_name=short_region_name(s["name"]),
                        managed_by=managed.get(s["code"]),
                    )
                )
                streets_out.append(
                    {
                        "code": s["code"],
                        "name": s["name"],
                        "district": d,
                        "communities": communities.get(s["code"], []),
                    }
                )
        for s in streets_out:
            for c in s["communities"]:
                regions.append(
                    RegionSpec(c["code"], c["name"], RegionLevel.COMMUNITY, parent=s["code"])
                )
        return streets_out

    def headquarters(self) -> list[EnterpriseSpec]:
        out = []
        for brand in BRANDS:
            spec = EnterpriseSpec(
                uscc=self.uscc(CITY_CODE),
                name=brand.name,
                kind=EnterpriseKind.PLATFORM_HQ,
                industry=brand.industry,
                region=CITY_CODE,
                district=CITY_CODE,
                city=CITY_CODE,
                worker_count=self.rng.randint(300, 3000),
                address=f"常州市{self.rng.choice(('天宁区', '钟楼区', '新北区', '武进区'))}"
                f"{self.rng.choice(ROADS)}{self.rng.randint(1, 399)}号",
            )
            self.hq_by_brand[brand.key] = spec.uscc
            out.append(spec)
        return out

    def city_content(self, city: dict[str, Any], streets: list[dict], hqs: list) -> None:
        rng = self.rng
        cfg = self.config
        ccode = city["city"]["code"]
        cname = city["city"]["name"]
        cshort = short_region_name(cname)
        ents: list[EnterpriseSpec] = list(hqs)

        def address(district: dict, street: dict | None) -> str:
            where = district["name"] + (street["name"] if street else "")
            return f"{cname}{where}{rng.choice(ROADS)}{rng.randint(1, 599)}号"

        districts = city["districts"]
        op_districts = districts[: cfg.operator_districts] if cfg.operator_districts else districts
        for d in op_districts:
            for brand in BRANDS:
                if not brand.operator:
                    continue
                ents.append(
                    EnterpriseSpec(
                        uscc=self.uscc(d["code"]),
                        name=brand.operator.format(
                            c=cshort, d=d["name"], ds=short_region_name(d["name"])
                        ),
                        kind=EnterpriseKind.REGIONAL_OPERATOR,
                        industry=brand.industry,
                        region=d["code"],
                        district=d["code"],
                        city=ccode,
                        worker_count=rng.randint(100, 2000),
                        address=address(d, None),
                        platform=self.hq_by_brand[brand.key],
                    )
                )
        for s in streets[:: cfg.street_step]:
            d = s["district"]
            sshort = short_region_name(s["name"])
            for brand in BRANDS:
                if not brand.outlet:
                    continue
                for n in range(self.count(brand.outlets_per_street)):
                    region = s["code"]
                    if s["communities"] and rng.random() < 0.25:
                        region = rng.choice(s["communities"])["code"]
                    ents.append(
                        EnterpriseSpec(
                            uscc=self.uscc(d["code"]),
                            name=brand.outlet.format(s=sshort)
                            + (f"（{cn_number(n + 1)}）" if n else ""),
                            kind=EnterpriseKind.OUTLET,
                            industry=brand.industry,
                            region=region,
                            district=d["code"],
                            city=ccode,
                            worker_count=rng.randint(*brand.outlet_workers),
                            address=address(d, s),
                            platform=self.hq_by_brand[brand.key],
                        )
                    )
        used_names: set[str] = set()
        district_streets = defaultdict(list)
        for s in streets:
            district_streets[s["district"]["code"]].append(s)
        for d in districts:
            for industry, kind, lo_hi, templates, workers, platforms in DISTRICT_UNITS:
                for _ in range(self.count(lo_hi, cfg.unit_density)):
                    name = self.trade_name(rng.choice(templates), cshort, used_names)
                    s = rng.choice(district_streets[d["code"]])
                    keys, weights = zip(*platforms, strict=True)
                    brand_key = rng.choices(keys, weights)[0]
                    ents.append(
                        EnterpriseSpec(
                            uscc=self.uscc(d["code"]),
                            name=name,
                            kind=kind,
                            industry=industry,
                            region=s["code"],
                            district=d["code"],
                            city=ccode,
                            worker_count=rng.randint(*workers),
                            address=address(d, s),
                            platform=self.hq_by_brand[brand_key] if brand_key else None,
                        )
                    )
        self.organize(city, streets, ents)
        self.plan.enterprises += ents

    def trade_name(self, template: str, cshort: str, used: set[str]) -> str:
        for attempt in range(200):
            words = self.rng.sample(TRADE_WORDS, 2 if attempt > 20 else 1)
            name = template.format(c=cshort, t="".join(words))
            if name not in used:
                used.add(name)
                return name
        name = template.format(c=cshort, t=f"{self.rng.choice(TRADE_WORDS)}{len(used)}")
        used.add(name)
        return name

    # coverage links


def build_plan(*, scale: str = "city", seed: int = DEFAULT_SEED) -> DemoPlan:
    """The demo data for ``scale`` as plain specs; no database access, same seed → same plan."""
    return _Generator(scale, seed).build()
