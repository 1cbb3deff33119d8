"""The 6+X facility catalogue (DB3204/T 1034—2022): code, name, required, principles, order.

Seeded into an empty table after migrate (``seed_empty_catalogue``); the names are the
standard's Chinese terms (data, not UI text).
"""

#: (code, name, required, principles)
FACILITIES = (
    ("fan_or_ac", "风扇或空调", True, ("warm", "cool")),
    ("microwave", "微波炉", True, ("warm",)),
    ("water", "饮水机或热水壶", True, ("warm", "cool")),
    ("charging", "充电插座", True, ()),
    ("tables_chairs", "桌椅", True, ("rest",)),
    ("first_aid", "急救药箱", True, ("medicine",)),
    ("rest", "休息区", False, ("rest",)),
    ("study", "学习阅读区", False, ()),
    ("dining", "就餐区", False, ("rest",)),
    ("battery_swap", "换电柜", False, ()),
    ("restroom", "卫生间", False, ()),
    ("wifi", "无线网络", False, ()),
    ("legal_aid", "法律援助", False, ()),
    ("medicine_cabinet", "24小时自助取药柜", False, ("medicine",)),
    ("umbrella", "爱心雨伞", False, ()),
    ("repair_kit", "维修工具", False, ()),
)
REQUIRED_CODES = tuple(code for code, _name, required, _p in FACILITIES if required)


def load_catalogue(facility_model) -> None:
    """Create or update every catalogue row (idempotent)."""
    for order, (code, name, required, principles) in enumerate(FACILITIES):
        facility_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "required": required,
                "sort_order": order,
                **{p: p in principles for p in ("warm", "cool", "rest", "medicine")},
            },
        )


def seed_empty_catalogue(**kwargs) -> None:
    """``post_migrate``: fill the facility catalogue when it is empty (a new database, or a
    test flush); rows staff edited are left alone."""
    from django.apps import apps

    facility_model = apps.get_model("stations", "Facility")
    if not facility_model.objects.exists():
        load_catalogue(facility_model)
