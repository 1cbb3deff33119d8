"""Reference data of the demo city: constants, scales, departments, industries, platform
brands, the units of each district, name parts, and the province's other cities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from core.identity import USCC_ALPHABET
from organizations.choices import (
    EnterpriseKind,
    InstructorGrade,
)

#: Dates are drawn relative to this day, never to "today", so a seed always gives the same data.
REFERENCE_DATE = dt.date(2026, 6, 30)
EVALUATION_YEAR = 2025
DEFAULT_SEED = 2026
CITY_CODE = "320400"
ZONE_CODE = "320491"
WORKING_COMMITTEE_CODE = "cz-lxgw"
API_KEY_NAME = "美团开放平台（演示）"
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "changzhou.json"

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
