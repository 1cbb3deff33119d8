"""Demo data: a deterministic Changzhou-like city (or a province of 13 cities) for the portal.

Two steps, so benchmarks and tests can reuse either:

- :func:`build_plan` is pure: from ``(scale, seed)`` it produces plain specs (regions,
  departments, industries, party organizations, enterprises, instructors, assignments, grades)
  that refer to each other by stable keys (division codes, organization codes, USCCs). It uses
  one ``random.Random(seed)`` and the fixed :data:`REFERENCE_DATE`, so the same seed always gives
  the same plan (see :meth:`DemoPlan.digest`).
- :func:`load_plan` writes a plan: through the services (validated, scope-checked, audited;
  coverage derived on every write) for the city, or with ``bulk_create`` for the province,
  followed by one :func:`services.enterprises_refresh_coverage`. The coverage mode is never set
  by hand; the plan only decides the links (organization, instructors, liaison, union flags).

:func:`seed_demo` ties it together with the demo logins; ``manage.py seed_demo`` is a thin
wrapper around it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, LPad

from core.identity import USCC_ALPHABET, make_uscc, org_code_check_char
from organizations import services
from organizations.choices import (
    CoverageMode,
    EnterpriseKind,
    EnterpriseStatus,
    InstructorGrade,
    OrganizationBasis,
    OrganizationKind,
    OrganizationStatus,
    RegionLevel,
)
from organizations.models import (
    Department,
    Enterprise,
    Industry,
    Instructor,
    InstructorAssignment,
    InstructorEvaluation,
    PartyOrganization,
    Region,
)

#: Dates are drawn relative to this day, never to "today", so a seed always gives the same data.
REFERENCE_DATE = dt.date(2026, 6, 30)
EVALUATION_YEAR = 2025
DEFAULT_SEED = 2026
CITY_CODE = "320400"
ZONE_CODE = "320491"
WORKING_COMMITTEE_CODE = "cz-lxgw"
PASSWORD_PREFIX = "Demo-2026!"
API_KEY_NAME = "美团开放平台（演示）"
DATA_FILE = Path(__file__).with_name("data") / "changzhou.json"

#: ``small`` is for tests; it is accepted by the command but not advertised.
SCALES = ("city", "province", "small")

#: Intended share of each coverage category over all enterprises of a city.
COVERAGE_TARGETS = {
    "standalone": 0.35,
    "joint": 0.25,
    "regional": 0.06,
    "industry": 0.04,
    "work_only": 0.15,
    "none": 0.15,
}
CLOSED_SHARE = 0.03


@dataclass(frozen=True)
class ScaleConfig:
    density: float  # multiplier on the outlets per street
    unit_density: float  # multiplier on the fleets and MCN agencies per district
    street_step: int  # outlets in every n-th street
    operator_districts: int | None  # districts with regional operators (None: all)
    regional_streets: int  # regional branches per industry committee
    other_cities: bool  # add the 12 other cities of the province (synthetic districts)


SCALE_CONFIGS = {
    "small": ScaleConfig(
        density=0.6,
        unit_density=0.3,
        street_step=6,
        operator_districts=2,
        regional_streets=1,
        other_cities=False,
    ),
    "city": ScaleConfig(
        density=1.0,
        unit_density=1.0,
        street_step=1,
        operator_districts=None,
        regional_streets=2,
        other_cities=False,
    ),
    "province": ScaleConfig(
        density=9.7,
        unit_density=9.7,
        street_step=1,
        operator_districts=None,
        regional_streets=3,
        other_cities=True,
    ),
}

# --- reference data ---------------------------------------------------------------------------

#: code, name, short name
DEPARTMENTS = (
    ("cyberspace", "中共常州市委网络安全和信息化委员会办公室", "市委网信办"),
    ("market_regulation", "常州市市场监督管理局", "市市场监管局"),
    ("postal", "常州市邮政管理局", "市邮政管理局"),
    ("transport", "常州市交通运输局", "市交通运输局"),
    ("hrss", "常州市人力资源和社会保障局", "市人社局"),
    ("trade_unions", "常州市总工会", "市总工会"),
)
#: Task-force member units that send instructors besides the competent departments.
EXTRA_SENDING_DEPARTMENTS = ("hrss", "trade_unions")


@dataclass(frozen=True)
class IndustryDef:
    code: str
    name: str
    department: str
    abbr: str  # prefix of organization codes


INDUSTRIES = (
    IndustryDef("food_delivery", "外卖送餐", "market_regulation", "fd"),
    IndustryDef("express", "快递", "postal", "ex"),
    IndustryDef("freight", "道路货运", "transport", "fr"),
    IndustryDef("ride_hailing", "网约车", "transport", "rh"),
    IndustryDef("live_streaming", "网络主播", "cyberspace", "ls"),
)
INDUSTRY_BY_CODE = {i.code: i for i in INDUSTRIES}


@dataclass(frozen=True)
class Brand:
    key: str
    name: str
    industry: str
    operator: str | None = None  # regional operator name: {c} city, {d} district, {ds} short
    outlet: str | None = None  # outlet name: {s} street short name
    outlets_per_street: tuple[int, int] = (0, 0)
    outlet_workers: tuple[int, int] = (10, 120)


BRANDS = (
    Brand(
        "meituan",
        "美团",
        "food_delivery",
        "{c}{d}美团外卖运营服务商",
        "美团外卖{s}站",
        (2, 3),
        (30, 120),
    ),
    Brand(
        "eleme",
        "饿了么",
        "food_delivery",
        "{c}{d}饿了么蜂鸟即配运营服务商",
        "饿了么蜂鸟{s}站",
        (0, 2),
        (20, 90),
    ),
    Brand(
        "sf", "顺丰速运", "express", "顺丰速运{c}{d}营业区", "顺丰速运{s}营业点", (0, 1), (10, 60)
    ),
    Brand(
        "jd", "京东物流", "express", "京东物流{c}{d}营业部", "京东物流{s}配送站", (0, 1), (10, 50)
    ),
    Brand(
        "zto", "中通快递", "express", "{c}{ds}中通快递有限公司", "中通快递{s}网点", (1, 2), (10, 45)
    ),
    Brand(
        "yto", "圆通速递", "express", "{c}{ds}圆通速递有限公司", "圆通速递{s}网点", (0, 1), (10, 40)
    ),
    Brand(
        "yunda",
        "韵达快递",
        "express",
        "{c}{ds}韵达快递有限公司",
        "韵达快递{s}网点",
        (0, 1),
        (10, 40),
    ),
    Brand("didi", "滴滴出行", "ride_hailing", "滴滴出行{c}{d}服务中心"),
    Brand("caocao", "曹操出行", "ride_hailing", "曹操出行{c}{d}运营中心"),
    Brand("huolala", "货拉拉", "freight", "货拉拉{c}{d}运营中心"),
    Brand("douyin", "抖音", "live_streaming"),
    Brand("kuaishou", "快手", "live_streaming"),
)
BRAND_BY_KEY = {b.key: b for b in BRANDS}

#: Units per district that belong to no brand outlet network: (industry, kind, count range,
#: name templates, worker range, [(brand key or None, weight)]).
DISTRICT_UNITS = (
    (
        "freight",
        EnterpriseKind.FLEET,
        (2, 5),
        (
            "{c}{t}物流有限公司",
            "{c}{t}货运有限公司",
            "{c}{t}供应链管理有限公司",
            "{c}{t}运输有限公司",
        ),
        (10, 150),
        (("huolala", 3), (None, 7)),
    ),
    (
        "ride_hailing",
        EnterpriseKind.FLEET,
        (1, 3),
        ("{c}{t}汽车服务有限公司", "{c}{t}出行科技有限公司", "{c}{t}汽车租赁有限公司"),
        (20, 300),
        (("didi", 6), ("caocao", 2), (None, 2)),
    ),
    (
        "live_streaming",
        EnterpriseKind.MCN,
        (1, 4),
        ("{c}{t}文化传媒有限公司", "{c}{t}网络科技有限公司", "{c}{t}电子商务有限公司"),
        (5, 80),
        (("douyin", 5), ("kuaishou", 3), (None, 2)),
    ),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TRADE_WORDS = _words(
    "恒通 顺达 鑫源 宏图 锦程 众联 星辰 润泽 嘉禾 天越 华邦 博远 "
    "龙腾 凯盛 瑞丰 长风 云帆 新锐 佳航 久安 聚力 汇通 卓越 明辉 "
    "金诚 永信 安达 万象 盛世 祥瑞 东方 海纳 千里 腾飞 远航 优品 "
    "乐享 星光 青禾 木兰 红枫 百川 睿思 启航 晨曦 德信 和顺 骏驰 "
    "畅行 易达"
)
ROADS = _words(
    "延陵路 和平路 怀德路 晋陵路 龙城大道 通江路 长江路 劳动路 关河路 "
    "青洋路 广化街 局前街 南大街 花园街 湖塘大道 常武路 人民路 府前路 "
    "飞龙路 衡山路 太湖路 竹林路 丽华路 青龙路 浦前路 玉龙路 汉江路 "
    "黄河路 星港路 聚湖路"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严武戴孔汤"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文斌辉鹏宇浩凯健俊帆晨"
    "欣怡雪梅婷琳丹晶亮成林峰海波云飞宁博阳慧颖佳琪思远子豪嘉诚雨轩晓东新春立新卫东"
)
GRADE_WEIGHTS = (
    (InstructorGrade.EXCELLENT, 25),
    (InstructorGrade.COMPETENT, 58),
    (InstructorGrade.BASICALLY_COMPETENT, 14),
    (InstructorGrade.INCOMPETENT, 3),
)

#: The 13 cities of the province scale: Changzhou from its data file, the others synthetic.
PROVINCE_CITIES = (
    ("320100", "南京市"),
    ("320200", "无锡市"),
    ("320300", "徐州市"),
    ("320400", "常州市"),
    ("320500", "苏州市"),
    ("320600", "南通市"),
    ("320700", "连云港市"),
    ("320800", "淮安市"),
    ("320900", "盐城市"),
    ("321000", "扬州市"),
    ("321100", "镇江市"),
    ("321200", "泰州市"),
    ("321300", "宿迁市"),
)
SYNTHETIC_DISTRICTS = _words(
    "城东 城西 城南 城北 江滨 湖滨 高新 新城 滨湖 运河 北郊 南郊 东山 西山"
)
SYNTHETIC_STREETS = _words(
    "东风 人民 解放 建设 新华 和平 胜利 文化 光明 幸福 朝阳 长江 "
    "运河 龙湖 金湖 银河 青年 花园 滨江 新桥 白塔 清水 梅园 桃源 "
    "柳营 石桥 凤凰 南湖 北塘 西园"
)

CN_DIGITS = "零一二三四五六七八九"
DIGITS = "0123456789"
USCC_LETTERS = "".join(c for c in USCC_ALPHABET if c.isalpha())


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五 (for ordinals in names; 1 ≤ n < 1000)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else cn_number(rest))
    if 10 <= rest < 20:
        tail = "一" + tail
    return CN_DIGITS[n // 100] + "百" + tail


def short_region_name(name: str) -> str:
    for suffix in ("街道", "镇", "乡", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


# --- specs ------------------------------------------------------------------------------------


@dataclass
class RegionSpec:
    code: str
    name: str
    level: str
    parent: str | None = None
    short_name: str = ""
    managed_by: str | None = None


@dataclass
class DepartmentSpec:
    code: str
    name: str
    short_name: str


@dataclass
class IndustrySpec:
    code: str
    name: str
    department: str
    sort_order: int


@dataclass
class OrganizationSpec:
    code: str
    name: str
    kind: str
    basis: str
    parent: str | None
    industry: str | None
    region: str | None
    secretary_name: str
    founded_on: dt.date
    term_ends_on: dt.date | None
    host: str | None = None  # USCC of the host unit (basis unit)
    status: str = OrganizationStatus.ACTIVE
    depth: int = 0


@dataclass
class EnterpriseSpec:
    uscc: str
    name: str
    kind: str
    industry: str
    region: str
    district: str  # for grouping; the region part of the USCC
    city: str
    worker_count: int
    address: str
    platform: str | None = None  # USCC of the platform headquarters
    status: str = EnterpriseStatus.OPERATING
    organization: str | None = None  # covering organization other than its own (joint, ...)
    has_liaison: bool = False
    has_union_or_league: bool = False
    category: str = "none"  # what the plan intends; the database derives the real mode


@dataclass
class InstructorSpec:
    key: str
    name: str
    department: str
    organization: str


@dataclass
class AssignmentSpec:
    instructor: str
    enterprise: str
    started_on: dt.date
    ended_on: dt.date | None = None


@dataclass
class EvaluationSpec:
    instructor: str
    year: int
    grade: str


@dataclass
class DemoPlan:
    scale: str
    seed: int
    regions: list[RegionSpec] = field(default_factory=list)
    departments: list[DepartmentSpec] = field(default_factory=list)
    industries: list[IndustrySpec] = field(default_factory=list)
    organizations: list[OrganizationSpec] = field(default_factory=list)
    enterprises: list[EnterpriseSpec] = field(default_factory=list)
    instructors: list[InstructorSpec] = field(default_factory=list)
    assignments: list[AssignmentSpec] = field(default_factory=list)
    evaluations: list[EvaluationSpec] = field(default_factory=list)

    def digest(self) -> str:
        """A SHA-256 over every spec: equal digests mean equal data."""
        h = hashlib.sha256()
        for name in (
            "regions",
            "departments",
            "industries",
            "organizations",
            "enterprises",
            "instructors",
            "assignments",
            "evaluations",
        ):
            for spec in getattr(self, name):
                h.update(json.dumps(asdict(spec), default=str, ensure_ascii=False).encode())
        return h.hexdigest()

    def intended_coverage(self) -> Counter:
        """The coverage modes the links of this plan should derive to (the same rule as
        :func:`services.coverage_mode_expression`, evaluated on the specs)."""
        orgs = {o.code: o for o in self.organizations}
        own = {o.host: o for o in self.organizations if o.host}
        open_assigned = {a.enterprise for a in self.assignments if a.ended_on is None}
        by_basis = {
            OrganizationBasis.UNIT: CoverageMode.STANDALONE,
            OrganizationBasis.JOINT: CoverageMode.JOINT,
            OrganizationBasis.REGIONAL: CoverageMode.REGIONAL,
            OrganizationBasis.INDUSTRY: CoverageMode.INDUSTRY,
        }
        counts: Counter = Counter()
        for e in self.enterprises:
            org = orgs.get(e.organization) if e.organization else own.get(e.uscc)
            if org is not None and org.status == OrganizationStatus.ACTIVE:
                counts[by_basis[org.basis]] += 1
            elif e.uscc in open_assigned or e.has_liaison or e.has_union_or_league:
                counts[CoverageMode.WORK_ONLY] += 1
            else:
                counts[CoverageMode.NONE] += 1
        return counts


# --- the generator ----------------------------------------------------------------------------


class _Generator:
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
        """The end of the current term; about 8% of organizations are overdue for election."""
        elapsed = (REFERENCE_DATE - founded).days / 365.25
        k = int(elapsed // years) + 1
        if k > 1 and self.rng.random() < 0.08:
            k -= 1
        return founded.replace(year=founded.year + k * years)

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

    def organize(self, city: dict[str, Any], streets: list[dict], ents: list[EnterpriseSpec]):
        """Decide each unit's coverage category and create the organizations that give it."""
        rng = self.rng
        cfg = self.config
        ccode = city["city"]["code"]
        cname = city["city"]["name"]
        prefix = "" if ccode == CITY_CODE else f"c{ccode[:4]}-"
        street_by_code = {s["code"]: s for s in streets}
        community_street = {c["code"]: s["code"] for s in streets for c in s["communities"]}
        region_names = {r.code: r.name for r in self.plan.regions}
        orgs = self.plan.organizations

        def street_of(e: EnterpriseSpec) -> str | None:
            if e.region in street_by_code:
                return e.region
            return community_street.get(e.region)

        def founded(start=dt.date(2019, 1, 1), end=dt.date(2026, 5, 31)) -> dt.date:
            return self.date_between(start, end)

        def add_org(**kw) -> OrganizationSpec:
            years = (
                5
                if kw["kind"]
                in (
                    OrganizationKind.WORKING_COMMITTEE,
                    OrganizationKind.INDUSTRY_COMMITTEE,
                    OrganizationKind.PRIMARY_COMMITTEE,
                )
                else 3
            )
            day = kw.pop("founded_on", None) or founded()
            spec = OrganizationSpec(
                secretary_name=self.person_name(),
                founded_on=day,
                term_ends_on=self.term_end(day, years),
                **kw,
            )
            orgs.append(spec)
            return spec

        wc_code = WORKING_COMMITTEE_CODE if not prefix else f"{prefix}lxgw"
        add_org(
            code=wc_code,
            name=f"{cname}两新工委",
            kind=OrganizationKind.WORKING_COMMITTEE,
            basis=OrganizationBasis.REGIONAL,
            parent=None,
            industry=None,
            region=ccode,
            founded_on=founded(dt.date(2018, 3, 1), dt.date(2018, 12, 31)),
            depth=0,
        )
        committees: dict[str, OrganizationSpec] = {}
        functional: dict[str, OrganizationSpec] = {}
        regional: dict[tuple[str, str], OrganizationSpec] = {}
        for ind in INDUSTRIES:
            ic = add_org(
                code=f"{prefix}ic-{ind.code.replace('_', '-')}",
                name=f"{cname}{ind.name}行业党委",
                kind=OrganizationKind.INDUSTRY_COMMITTEE,
                basis=OrganizationBasis.INDUSTRY,
                parent=wc_code,
                industry=ind.code,
                region=ccode,
                founded_on=founded(dt.date(2019, 6, 1), dt.date(2021, 6, 30)),
                depth=1,
            )
            committees[ind.code] = ic
            code = f"{prefix}{ind.abbr}"
            add_org(
                code=f"{code}-mb",
                name=f"{cname}{ind.name}行业流动党员党支部",
                kind=OrganizationKind.MOBILE_BRANCH,
                basis=OrganizationBasis.INDUSTRY,
                parent=ic.code,
                industry=ind.code,
                region=ccode,
                depth=2,
            )
            functional[ind.code] = add_org(
                code=f"{code}-fn-01",
                name=f"{cname}{ind.name}行业党建联盟功能型党组织",
                kind=OrganizationKind.FUNCTIONAL,
                basis=OrganizationBasis.INDUSTRY,
                parent=ic.code,
                industry=ind.code,
                region=ccode,
                depth=2,
            )
            candidates = sorted(
                {
                    street_of(e)
                    for e in ents
                    if e.industry == ind.code
                    and e.kind != EnterpriseKind.PLATFORM_HQ
                    and street_of(e)
                }
            )
            for n, street in enumerate(
                rng.sample(candidates, min(cfg.regional_streets, len(candidates))), 1
            ):
                s = street_by_code[street]
                regional[(ind.code, street)] = add_org(
                    code=f"{code}-rb-{n:02d}",
                    name=f"{s['district']['name']}{s['name']}{ind.name}行业区域性党支部",
                    kind=OrganizationKind.BRANCH,
                    basis=OrganizationBasis.REGIONAL,
                    parent=ic.code,
                    industry=ind.code,
                    region=street,
                    depth=2,
                )
            if rng.random() < 0.5 and city["districts"]:
                d = rng.choice(city["districts"])
                add_org(
                    code=f"{code}-fn-02",
                    name=f"{d['name']}{ind.name}“红色驿站”功能型党支部",
                    kind=OrganizationKind.FUNCTIONAL,
                    basis=OrganizationBasis.REGIONAL,
                    parent=ic.code,
                    industry=ind.code,
                    region=d["code"],
                    depth=2,
                )

        # Categories by quota: the big units have their own organizations; small outlets share
        # joint branches; a few streets have regional branches; the rest is work or nothing.
        total = len(ents)
        cat: dict[int, str] = {}
        for i, e in enumerate(ents):
            if e.kind == EnterpriseKind.PLATFORM_HQ:
                cat[i] = "standalone"
            elif e.kind == EnterpriseKind.REGIONAL_OPERATOR:
                cat[i] = "standalone" if rng.random() < 0.75 else "work_only"
        fixed = Counter(cat.values())
        quota = {
            c: max(0, round(share * total) - fixed[c]) for c, share in COVERAGE_TARGETS.items()
        }
        remaining = [i for i in range(total) if i not in cat]
        rng.shuffle(remaining)
        noise = {i: rng.uniform(0.4, 1.6) for i in remaining}

        def take(category: str, n: int, pred=lambda i: True, key=None) -> None:
            nonlocal remaining
            chosen = [i for i in remaining if pred(i)]
            if key is not None:
                chosen.sort(key=key)
            chosen = chosen[:n]
            taken = set(chosen)
            for i in chosen:
                cat[i] = category
            remaining = [i for i in remaining if i not in taken]

        def in_regional(i: int) -> bool:
            return (ents[i].industry, street_of(ents[i])) in regional

        n_regional = min(quota["regional"], sum(1 for i in remaining if in_regional(i)))
        take("regional", n_regional, in_regional)
        quota["industry"] += quota["regional"] - n_regional
        take("joint", quota["joint"], key=lambda i: ents[i].worker_count * noise[i])
        take("standalone", quota["standalone"], key=lambda i: -ents[i].worker_count * noise[i])
        take(
            "industry",
            quota["industry"],
            key=lambda i: (ents[i].kind == EnterpriseKind.OUTLET, noise[i]),
        )
        take("work_only", quota["work_only"])
        for i in remaining:
            cat[i] = "none"

        # Joint branches: 2–5 units of one industry in one district, neighbours first.
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in sorted(
            (i for i, c in cat.items() if c == "joint"), key=lambda i: (ents[i].region, i)
        ):
            groups[(ents[i].industry, ents[i].district)].append(i)
        joint_names: Counter = Counter()
        joint_seq: Counter = Counter()
        for (industry, district), members in groups.items():
            chunks: list[list[int]] = []
            rest = members
            while rest:
                size = rng.randint(2, 5)
                chunks.append(rest[:size])
                rest = rest[size:]
            if len(chunks[-1]) == 1:
                single = chunks.pop()
                roomy = [c for c in chunks if len(c) < 5]
                if roomy:
                    roomy[-1].extend(single)
                else:
                    cat[single[0]] = "work_only"
            for chunk in chunks:
                chunk_streets = {street_of(ents[i]) for i in chunk}
                region = chunk_streets.pop() if len(chunk_streets) == 1 else district
                if region is None:
                    region = district
                label = region_names[region]
                if region != district:
                    label = region_names[district] + label
                joint_names[(label, industry)] += 1
                nth = joint_names[(label, industry)]
                ind = INDUSTRY_BY_CODE[industry]
                joint_seq[industry] += 1
                org = add_org(
                    code=f"{prefix}{ind.abbr}-jb-{joint_seq[industry]:04d}",
                    name=f"{label}{ind.name}行业"
                    + (f"第{cn_number(nth)}" if nth > 1 else "")
                    + "联合党支部",
                    kind=OrganizationKind.JOINT_BRANCH,
                    basis=OrganizationBasis.JOINT,
                    parent=committees[industry].code,
                    industry=industry,
                    region=region,
                    depth=2,
                )
                for i in chunk:
                    ents[i].organization = org.code

        # Closed units (~3% of the outlets, fleets and MCNs).
        pool = [
            i
            for i in range(total)
            if ents[i].kind not in (EnterpriseKind.PLATFORM_HQ, EnterpriseKind.REGIONAL_OPERATOR)
        ]
        closed = set(rng.sample(pool, min(len(pool), round(CLOSED_SHARE * total))))

        standalone_seq: Counter = Counter()
        for i, e in enumerate(ents):
            c = cat[i]
            e.category = c
            if i in closed:
                e.status = EnterpriseStatus.CLOSED
            ind = INDUSTRY_BY_CODE[e.industry]
            if c == "standalone":
                standalone_seq[e.industry] += 1
                big = e.worker_count >= 600 or e.kind == EnterpriseKind.PLATFORM_HQ
                add_org(
                    code=f"{prefix}{ind.abbr}-br-{standalone_seq[e.industry]:04d}",
                    name=(f"{e.name}常州" if e.kind == EnterpriseKind.PLATFORM_HQ else e.name)
                    + ("党总支" if big else "党支部"),
                    kind=OrganizationKind.GENERAL_BRANCH if big else OrganizationKind.BRANCH,
                    basis=OrganizationBasis.UNIT,
                    parent=committees[e.industry].code,
                    industry=e.industry,
                    region=e.region,
                    host=e.uscc,
                    depth=2,
                    # A closed unit's own branch was dissolved with it.
                    status=OrganizationStatus.DISSOLVED
                    if i in closed
                    else OrganizationStatus.ACTIVE,
                )
            elif c == "regional":
                e.organization = regional[(e.industry, street_of(e))].code
            elif c == "industry":
                target = committees[e.industry] if rng.random() < 0.6 else functional[e.industry]
                e.organization = target.code
            if c in ("standalone", "joint", "regional", "industry"):
                e.has_liaison = rng.random() < 0.2
                e.has_union_or_league = rng.random() < 0.3
            elif c == "work_only":
                if e.kind == EnterpriseKind.REGIONAL_OPERATOR:
                    via = "instructor"
                else:
                    via = rng.choices(("instructor", "liaison", "union"), (55, 25, 20))[0]
                e.category = f"work_only:{via}"
                e.has_liaison = via == "liaison"
                e.has_union_or_league = via == "union" or (via == "liaison" and rng.random() < 0.3)

    # instructors

    def instructors_and_grades(self) -> None:
        rng = self.rng
        plan = self.plan
        committees = {
            (o.region, o.industry): o
            for o in plan.organizations
            if o.kind == OrganizationKind.INDUSTRY_COMMITTEE
        }
        needs: dict[tuple[str, str], list[tuple[EnterpriseSpec, str]]] = defaultdict(list)
        for e in plan.enterprises:
            key = (e.city, e.industry)
            if e.category == "work_only:instructor":
                needs[key].append((e, "open"))
                if rng.random() < 0.1:
                    needs[key].append((e, "open"))
            elif e.category in ("standalone", "joint", "regional", "industry"):
                if rng.random() < 0.12:
                    needs[key].append((e, "open"))
            elif e.category == "none" and rng.random() < 0.08:
                needs[key].append((e, "ended"))
        for (city, industry), committee in committees.items():
            work = needs.get((city, industry), [])
            department = INDUSTRY_BY_CODE[industry].department
            pool = []
            for n in range(max(2, math.ceil(len(work) / 3))):
                sender = department
                if rng.random() < 0.3:
                    sender = rng.choice(EXTRA_SENDING_DEPARTMENTS)
                spec = InstructorSpec(
                    key=f"{committee.code}-i{n + 1:03d}",
                    name=self.person_name(),
                    department=sender,
                    organization=committee.code,
                )
                plan.instructors.append(spec)
                pool.append(spec)
            open_pairs: set[tuple[str, str]] = set()
            for e, how in work:
                instructor = rng.choice(pool)
                if how == "open":
                    if (instructor.key, e.uscc) in open_pairs:
                        continue
                    open_pairs.add((instructor.key, e.uscc))
                    plan.assignments.append(
                        AssignmentSpec(
                            instructor.key,
                            e.uscc,
                            self.date_between(dt.date(2022, 1, 1), dt.date(2026, 6, 15)),
                        )
                    )
                else:
                    start = self.date_between(dt.date(2021, 1, 1), dt.date(2024, 6, 30))
                    end = start + dt.timedelta(days=rng.randint(120, 700))
                    plan.assignments.append(AssignmentSpec(instructor.key, e.uscc, start, end))
            for spec in pool:
                grade = rng.choices([g for g, _ in GRADE_WEIGHTS], [w for _, w in GRADE_WEIGHTS])
                plan.evaluations.append(EvaluationSpec(spec.key, EVALUATION_YEAR, grade[0]))


def build_plan(*, scale: str = "city", seed: int = DEFAULT_SEED) -> DemoPlan:
    """The demo data for ``scale`` as plain specs; no database access, same seed → same plan."""
    return _Generator(scale, seed).build()


# --- loading ----------------------------------------------------------------------------------


def _region_data(spec: RegionSpec, regions: dict[str, Region]) -> dict[str, Any]:
    return {
        "code": spec.code,
        "name": spec.name,
        "short_name": spec.short_name,
        "level": spec.level,
        "parent": regions[spec.parent] if spec.parent else None,
        "managed_by": regions[spec.managed_by] if spec.managed_by else None,
    }


def _organization_data(spec: OrganizationSpec, ref: dict[str, dict]) -> dict[str, Any]:
    return {
        "code": spec.code,
        "name": spec.name,
        "kind": spec.kind,
        "basis": spec.basis,
        "parent": ref["orgs"][spec.parent] if spec.parent else None,
        "industry": ref["industries"][spec.industry] if spec.industry else None,
        "region": ref["regions"][spec.region] if spec.region else None,
        "host_enterprise": ref["enterprises"][spec.host] if spec.host else None,
        "secretary_name": spec.secretary_name,
        "founded_on": spec.founded_on,
        "term_ends_on": spec.term_ends_on,
    }


def _enterprise_data(spec: EnterpriseSpec, ref: dict[str, dict]) -> dict[str, Any]:
    return {
        "uscc": spec.uscc,
        "name": spec.name,
        "kind": spec.kind,
        "platform": ref["enterprises"][spec.platform] if spec.platform else None,
        "industry": ref["industries"][spec.industry],
        "region": ref["regions"][spec.region],
        "address": spec.address,
        "worker_count": spec.worker_count,
        "party_organization": ref["orgs"][spec.organization] if spec.organization else None,
        "has_liaison": spec.has_liaison,
        "has_union_or_league": spec.has_union_or_league,
        "status": spec.status,
    }


def _reference_rows(plan: DemoPlan, actor) -> dict[str, dict]:
    """Regions, departments and industries through the services (they are few); rows that
    already exist (e.g. regions loaded from the data file) are reused."""
    regions = {r.code: r for r in Region.objects.all()}
    for spec in plan.regions:
        if spec.code not in regions:
            regions[spec.code] = services.region_create(
                actor=actor, data=_region_data(spec, regions)
            )
    departments = {d.code: d for d in Department.objects.all()}
    for spec in plan.departments:
        if spec.code not in departments:
            departments[spec.code] = services.department_create(
                actor=actor,
                data={"code": spec.code, "name": spec.name, "short_name": spec.short_name},
            )
    industries = {i.code: i for i in Industry.objects.all()}
    for spec in plan.industries:
        if spec.code not in industries:
            industries[spec.code] = services.industry_create(
                actor=actor,
                data={
                    "code": spec.code,
                    "name": spec.name,
                    "department": departments[spec.department],
                    "sort_order": spec.sort_order,
                },
            )
    return {
        "regions": regions,
        "departments": departments,
        "industries": industries,
        "orgs": {},
        "enterprises": {},
        "instructors": {},
    }


def _load_with_services(plan: DemoPlan, actor) -> None:
    """Every row through its service: validated, scope-checked, audited, coverage derived."""
    ref = _reference_rows(plan, actor)
    orgs, ents, instructors = ref["orgs"], ref["enterprises"], ref["instructors"]
    for spec in plan.organizations:
        if not spec.host:
            orgs[spec.code] = services.organization_create(
                actor=actor, data=_organization_data(spec, ref)
            )
    # Headquarters first: the other units point to them as their platform brand.
    for spec in sorted(plan.enterprises, key=lambda e: e.kind != EnterpriseKind.PLATFORM_HQ):
        ents[spec.uscc] = services.enterprise_create(actor=actor, data=_enterprise_data(spec, ref))
    for spec in plan.organizations:
        if spec.host:
            # Creating a unit's own organization links its host and derives its coverage.
            org = services.organization_create(actor=actor, data=_organization_data(spec, ref))
            orgs[spec.code] = org
            if spec.status == OrganizationStatus.DISSOLVED:
                services.organization_dissolve(actor=actor, organization=org)
    for spec in plan.instructors:
        instructors[spec.key] = services.instructor_create(
            actor=actor,
            data={
                "name": spec.name,
                "department": ref["departments"][spec.department],
                "organization": orgs[spec.organization],
            },
        )
    for spec in plan.assignments:
        services.assignment_create(
            actor=actor,
            data={
                "instructor": instructors[spec.instructor],
                "enterprise": ents[spec.enterprise],
                "started_on": spec.started_on,
                "ended_on": spec.ended_on,
            },
        )
    for spec in plan.evaluations:
        services.evaluation_set(
            actor=actor,
            instructor=instructors[spec.instructor],
            year=spec.year,
            grade=spec.grade,
        )


def _set_org_paths(depth: int) -> None:
    """Fill ``path``/``depth`` of organizations created in bulk at ``depth``: the path is the
    parent's path plus the zero-padded primary key (``MaterializedPathNode.path_segment``)."""
    segment = Concat(LPad(Cast("pk", CharField()), 8, Value("0")), Value("/"))
    rows = PartyOrganization.objects.filter(path="", depth=depth)
    if depth == 0:
        rows.update(path=segment)
    else:
        parent_path = Subquery(
            PartyOrganization.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
        )
        rows.update(path=Concat(parent_path, segment, output_field=CharField()))


def _load_bulk(plan: DemoPlan, actor, batch_size: int = 2000) -> None:
    """The province: ``bulk_create`` in batches, then one coverage recomputation. Reference
    rows still go through the services."""
    ref = _reference_rows(plan, actor)
    orgs, ents, instructors = ref["orgs"], ref["enterprises"], ref["instructors"]
    industries, regions = ref["industries"], ref["regions"]

    def bulk(model, objs):
        created = model.objects.bulk_create(objs, batch_size=batch_size)
        if created and created[0].pk is None:  # pragma: no cover - backends without RETURNING
            raise RuntimeError("seed_demo --scale province needs a database that returns ids.")
        return created

    def org_obj(spec: OrganizationSpec) -> PartyOrganization:
        return PartyOrganization(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            basis=spec.basis,
            parent_id=orgs[spec.parent].pk if spec.parent else None,
            industry_id=industries[spec.industry].pk if spec.industry else None,
            region_id=regions[spec.region].pk if spec.region else None,
            host_enterprise_id=ents[spec.host].pk if spec.host else None,
            secretary_name=spec.secretary_name,
            founded_on=spec.founded_on,
            term_ends_on=spec.term_ends_on,
            status=spec.status,
            depth=spec.depth,
            path="",
        )

    for depth in (0, 1, 2):
        specs = [o for o in plan.organizations if not o.host and o.depth == depth]
        for spec, obj in zip(
            specs, bulk(PartyOrganization, [org_obj(s) for s in specs]), strict=True
        ):
            orgs[spec.code] = obj
        _set_org_paths(depth)

    hq_first = sorted(plan.enterprises, key=lambda e: e.kind != EnterpriseKind.PLATFORM_HQ)
    n_hq = sum(1 for e in hq_first if e.kind == EnterpriseKind.PLATFORM_HQ)
    for chunk in (hq_first[:n_hq], hq_first[n_hq:]):
        objs = [
            Enterprise(
                uscc=e.uscc,
                name=e.name,
                kind=e.kind,
                platform_id=ents[e.platform].pk if e.platform else None,
                industry_id=industries[e.industry].pk,
                region_id=regions[e.region].pk,
                address=e.address,
                worker_count=e.worker_count,
                party_organization_id=orgs[e.organization].pk if e.organization else None,
                has_liaison=e.has_liaison,
                has_union_or_league=e.has_union_or_league,
                status=e.status,
            )
            for e in chunk
        ]
        for spec, obj in zip(chunk, bulk(Enterprise, objs), strict=True):
            ents[spec.uscc] = obj

    hosted = [o for o in plan.organizations if o.host]
    for spec, obj in zip(
        hosted, bulk(PartyOrganization, [org_obj(s) for s in hosted]), strict=True
    ):
        orgs[spec.code] = obj
    _set_org_paths(2)
    # A unit's own organization covers its host (what organization_create does one by one).
    own = PartyOrganization.objects.filter(
        host_enterprise_id=OuterRef("pk"), basis=OrganizationBasis.UNIT
    )
    Enterprise.objects.filter(Exists(own), party_organization__isnull=True).update(
        party_organization_id=Subquery(own.values("pk")[:1])
    )

    for spec, obj in zip(
        plan.instructors,
        bulk(
            Instructor,
            [
                Instructor(
                    name=s.name,
                    department_id=ref["departments"][s.department].pk,
                    organization_id=orgs[s.organization].pk,
                )
                for s in plan.instructors
            ],
        ),
        strict=True,
    ):
        instructors[spec.key] = obj
    bulk(
        InstructorAssignment,
        [
            InstructorAssignment(
                instructor_id=instructors[a.instructor].pk,
                enterprise_id=ents[a.enterprise].pk,
                started_on=a.started_on,
                ended_on=a.ended_on,
            )
            for a in plan.assignments
        ],
    )
    bulk(
        InstructorEvaluation,
        [
            InstructorEvaluation(
                instructor_id=instructors[v.instructor].pk, year=v.year, grade=v.grade
            )
            for v in plan.evaluations
        ],
    )
    services.enterprises_refresh_coverage()


def load_plan(plan: DemoPlan, *, actor, bulk: bool = False) -> None:
    """Write ``plan`` in one transaction, through the services or (``bulk``) in batches."""
    with transaction.atomic():
        if bulk:
            _load_bulk(plan, actor)
        else:
            _load_with_services(plan, actor)


# --- history for the demo's trend chart ----------------------------------------------------------


def backdate_enterprises(*, months: int = 24, today: dt.date | None = None) -> None:
    """Spread the demo enterprises' ``created_at`` over the past ``months`` (deterministically,
    by id), so that snapshots of past days show a growing city instead of an empty one.
    One UPDATE per month bucket."""
    from django.db.models import F
    from django.db.models.functions import Mod
    from django.utils import timezone

    today = today or timezone.localdate()
    with transaction.atomic():
        buckets = Enterprise.objects.annotate(bucket=Mod(F("id") * 7919, months))
        for k in range(months):
            day = today - dt.timedelta(days=30 * k + 3)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
            buckets.filter(bucket=k).update(created_at=at)
