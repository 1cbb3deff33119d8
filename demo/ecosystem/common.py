"""What the ecosystem demo's three parts share: the sizes per scale, names, and the fast insert."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connections, models, router
from django.utils import timezone

#: scale → (fairs, employers, matched, solved, (raised, routed, reported), women's
#: federation organizations, care classes)
SIZES = {
    "city": (150, 800, 35_000, 2_400, (200, 300, 250), 140, 38),
    "province": (150, 800, 35_000, 2_400, (200, 300, 250), 140, 38),
    "small": (15, 80, 1_500, 120, (10, 24, 16), 14, 6),
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志宏海燕婷雪梅晨浩宇欣怡"


def _insert(model, objs: list, batch: int = 2000) -> None:
    """Insert ``objs`` (unsaved instances, no primary key needed back) with one
    ``executemany`` per batch: ``bulk_create`` prepares every field of every row through the
    ORM, which costs seconds on the tens of thousands of applications; here only dates and
    times are adapted for the database. Portable (SQLite and PostgreSQL)."""
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(f, models.DateField):
            adapters.append(ops.adapt_datefield_value)
        elif isinstance(f, models.DecimalField):
            adapters.append(
                lambda v, f=f: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places)
            )
        else:
            adapters.append(None)
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    names = [f.attname for f in fields]
    stamped = {
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    stamp = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            rows = []
            for obj in objs[start : start + batch]:
                values = []
                for name, adapt in zip(names, adapters, strict=True):
                    value = getattr(obj, name)
                    if value is None and name in stamped:
                        value = stamp
                    values.append(adapt(value) if adapt and value is not None else value)
                rows.append(values)
            cursor.executemany(sql, rows)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    """``n`` positive-ish integers adding up to ``total`` exactly (weights drawn from rng)."""
    if n <= 0:
        return []
    weights = [rng.uniform(0.2, 3.0) for _ in range(n)]
    scale = total / sum(weights)
    parts = [int(w * scale) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
