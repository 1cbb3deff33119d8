"""Seed catalogues of the appeals app: categories, the city's policy measures, SLA policies
and the official holiday calendar (with make-up workdays). Seeded into empty tables after
migrate (:func:`seed_empty_catalogues`, a ``post_migrate`` receiver); every loader is
idempotent. Names are data (Chinese)."""

from __future__ import annotations

import datetime as dt

#: (code, name, description, keywords)
CATEGORIES = (
    (
        "wages",
        "工资报酬与扣款",
        "拖欠工资、克扣配送费、罚款扣款不合理",
        "工资 扣款 罚款 配送费 拖欠",
    ),
    ("account_ban", "账号封禁", "骑手、司机、主播账号被封禁或限制接单", "封号 封禁 限流 接单"),
    ("order_cancel", "订单取消与派单", "订单被取消、超时判责、派单不公", "取消 超时 判责 派单"),
    ("social_insurance", "社会保险", "职业伤害保障、社保缴纳、工伤认定", "社保 工伤 保险 职业伤害"),
    ("traffic_safety", "交通与安全", "交通事故、道路安全、电动车管理", "事故 安全 电动车 交警"),
    ("accommodation", "住宿与生活", "住宿、就餐、停车、充电等生活困难", "住宿 就餐 停车 充电"),
    ("family_children", "家庭与子女", "子女入学、托管、家庭困难", "子女 入学 托管 家庭"),
    ("health", "身心健康", "疾病、体检、心理疏导", "体检 疾病 心理 健康"),
    ("rental_scam", "租赁与诈骗", "租车租房纠纷、押金不退、诈骗", "押金 租车 租房 诈骗"),
    ("other", "其他", "其他诉求与建议", ""),
)

#: The city's measures for new employment groups ("18 measures"): (number, title).
POLICY_MEASURES = (
    (1, "建立新就业群体党建工作联席会议制度"),
    (2, "推动平台企业党组织应建尽建"),
    (3, "建设“龙城红色驿站”暖心服务阵地"),
    (4, "畅通党员与诉求直通渠道"),
    (5, "落实职业伤害保障试点"),
    (6, "规范平台算法与派单规则"),
    (7, "保障劳动报酬按时足额支付"),
    (8, "合理确定劳动定额与休息时间"),
    (9, "开展专项党费关爱帮扶"),
    (10, "落实新就业群体子女入学保障"),
    (11, "提供保障性租赁住房与公寓"),
    (12, "开展免费健康体检与心理关爱"),
    (13, "设立法律援助与劳动争议调解站点"),
    (14, "优化电动车停放与充换电设施"),
    (15, "开展职业技能培训与学历提升"),
    (16, "选树新就业群体先进典型"),
    (17, "吸纳优秀骑手快递员参与基层治理"),
    (18, "建立诉求办理督办与回访评价机制"),
)

#: (category code or None for the default, urgency, dispatch h, sign h, reply working days,
#: extension working days, round the clock)
SLA_POLICIES = (
    (None, "normal", 8, 8, 5, 5, False),
    (None, "urgent", 2, 2, 2, 3, False),
    # Emergencies: dispatched within 1 hour, round the clock.
    (None, "emergency", 1, 1, 1, 1, True),
    ("wages", "normal", 8, 8, 5, 5, False),
    ("account_ban", "normal", 4, 4, 3, 3, False),
    ("traffic_safety", "urgent", 1, 1, 1, 2, False),
    ("health", "urgent", 1, 1, 1, 2, False),
    ("other", "normal", 8, 8, 10, 5, False),
)


def _days(first: str, last: str) -> list[dt.date]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


#: The State Council's 2026 holiday arrangement: (name, days off, make-up workdays).
HOLIDAYS_2026 = (
    ("元旦", _days("2026-01-01", "2026-01-03"), ["2026-01-04"]),
    ("春节", _days("2026-02-15", "2026-02-23"), ["2026-02-14", "2026-02-28"]),
    ("清明节", _days("2026-04-04", "2026-04-06"), []),
    ("劳动节", _days("2026-05-01", "2026-05-05"), ["2026-05-09"]),
    ("端午节", _days("2026-06-19", "2026-06-21"), []),
    ("中秋节", _days("2026-09-25", "2026-09-27"), []),
    ("国庆节", _days("2026-10-01", "2026-10-07"), ["2026-09-20", "2026-10-10"]),
)


def load_categories(category_model) -> None:
    for order, (code, name, description, keywords) in enumerate(CATEGORIES):
        category_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "keywords": keywords,
                "sort_order": order,
            },
        )


def load_policy_measures(measure_model) -> None:
    for number, title in POLICY_MEASURES:
        measure_model.objects.update_or_create(number=number, defaults={"title": title})


def load_sla_policies(policy_model, category_model) -> None:
    categories = {c.code: c for c in category_model.objects.all()}
    for code, urgency, dispatch, sign, reply, extension, clock in SLA_POLICIES:
        policy_model.objects.update_or_create(
            category=categories[code] if code else None,
            urgency=urgency,
            defaults={
                "dispatch_hours": dispatch,
                "sign_hours": sign,
                "reply_days": reply,
                "extension_days": extension,
                "round_the_clock": clock,
            },
        )


def load_holidays(holiday_model, year_model=None) -> None:
    """The built-in 2026 calendar (later years come from chinese-calendar, appeals.holidays);
    with ``year_model`` (absent from older migrations' state) 2026 is marked loaded."""
    if year_model is not None:
        year_model.objects.get_or_create(year=2026, defaults={"source": "catalogue"})
    for name, days_off, workdays in HOLIDAYS_2026:
        for day in days_off:
            holiday_model.objects.update_or_create(
                date=day, defaults={"name": name, "is_workday": False}
            )
        for day in workdays:
            holiday_model.objects.update_or_create(
                date=dt.date.fromisoformat(day),
                defaults={"name": f"{name}调休", "is_workday": True},
            )


def load_all(apps=None) -> None:
    """Every catalogue; ``apps`` is the migration's app registry (the real one by default)."""
    if apps is None:
        from django.apps import apps
    get = apps.get_model
    load_categories(get("appeals", "Category"))
    load_policy_measures(get("appeals", "PolicyMeasure"))
    load_sla_policies(get("appeals", "SLAPolicy"), get("appeals", "Category"))
    load_holidays(get("appeals", "Holiday"), _year_model(get))


def _year_model(get):
    try:
        return get("appeals", "HolidayYear")
    except LookupError:  # a migration's state before HolidayYear existed
        return None


def seed_empty_catalogues(**kwargs) -> None:
    """``post_migrate``: fill each catalogue table that is empty (a new database, or a test
    flush). A table with rows is left alone, so what staff edited in the admin is kept."""
    from django.apps import apps

    get = apps.get_model
    if not get("appeals", "Category").objects.exists():
        load_categories(get("appeals", "Category"))
    if not get("appeals", "PolicyMeasure").objects.exists():
        load_policy_measures(get("appeals", "PolicyMeasure"))
    if not get("appeals", "SLAPolicy").objects.exists():
        load_sla_policies(get("appeals", "SLAPolicy"), get("appeals", "Category"))
    if not get("appeals", "Holiday").objects.exists():
        load_holidays(get("appeals", "Holiday"), _year_model(get))
