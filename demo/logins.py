"""The demo logins: one per role, with passwords drawn at random on every run.

Passwords are never a published pattern: each ``seed_demo`` run draws new ones (the database
stores only their hashes) and prints them. The partner API key is renewed the same way, and the
key it replaces is revoked, so a demo database never holds more than one live demo key.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core import writes
from core.models import APIKey
from organizations import roles, services
from organizations.choices import EnterpriseKind, GrantKind
from organizations.models import Department, Enterprise, PartyOrganization, Region, ScopeGrant

from .city import API_KEY_NAME, CITY_CODE, INDUSTRIES, ZONE_CODE

#: Letters and digits that cannot be misread for one another (no 0/O, 1/l/I).
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 14

#: The district officers: username → region code.
OFFICERS = (("officer_tianning", "320402"), ("officer_jingkai", ZONE_CODE))


@dataclass
class Login:
    role: str
    username: str
    password: str
    scope: str


def random_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(PASSWORD_LENGTH))


def _user(
    username: str, *, group: str, is_staff: bool, first_name: str = "", login: bool = True
) -> tuple:
    """The demo user with a new random password (or none, for a service user that only acts
    through its API key); returns ``(user, password)``."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username)
    user.is_staff = is_staff
    user.is_active = True
    user.is_superuser = False
    if first_name:
        user.first_name = first_name
    if login:
        password = random_password()
        user.set_password(password)
    else:
        password = "—"
        user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user, password


def _ensure_grant(actor, user, kind: str, **target) -> None:
    if not ScopeGrant.objects.filter(user=user, kind=kind, **target).exists():
        data = {"user": user, "kind": kind, **target, "note": "demo"}
        if actor is None:
            # The first city-wide grant: nobody holds one yet who could hand it out.
            writes.create(actor="seed_demo", model=ScopeGrant, data=data)
        else:
            services.grant_create(actor=actor, data=data)


def staff_user():
    """The organization-department login (city-wide) that demo rows are written as; created
    with an unusable password until :func:`ensure_logins` gives it a printed one."""
    User = get_user_model()
    staff, created = User.objects.get_or_create(
        username="zuzhibu", defaults={"is_staff": True, "first_name": "组织部工作人员"}
    )
    if created:
        staff.set_unusable_password()
        staff.save()
    staff.groups.add(Group.objects.get(name=roles.DEPARTMENT_STAFF))
    _ensure_grant(None, staff, GrantKind.CITY)
    return staff


def ensure_logins(staff=None) -> tuple[list[Login], str | None]:
    """Create (or repair) every demo login with a new random password and a fresh partner API
    key (revoking the demo key it replaces); return them for printing."""
    staff = staff or staff_user()
    staff, password = _user(
        staff.username, group=roles.DEPARTMENT_STAFF, is_staff=True, first_name="组织部工作人员"
    )
    logins = [Login(roles.DEPARTMENT_STAFF, staff.username, password, "city-wide 全市")]
    for ind in INDUSTRIES:
        committee = PartyOrganization.objects.filter(
            code=f"ic-{ind.code.replace('_', '-')}"
        ).first()
        if committee is None:
            continue
        user, password = _user(f"sec_{ind.code}", group=roles.INDUSTRY_SECRETARY, is_staff=True)
        _ensure_grant(staff, user, GrantKind.ORGANIZATION, organization=committee)
        logins.append(
            Login(
                roles.INDUSTRY_SECRETARY,
                user.username,
                password,
                f"organization {committee.name}",
            )
        )
    for username, code in OFFICERS:
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        user, password = _user(username, group=roles.DISTRICT_OFFICER, is_staff=True)
        _ensure_grant(staff, user, GrantKind.REGION, region=region)
        logins.append(
            Login(roles.DISTRICT_OFFICER, username, password, f"region {region.name} {region.code}")
        )
    # A task-force member unit's staff (the postal administration): its unit's tasks and
    # indicators only.
    postal = Department.objects.filter(code="postal").first()
    if postal is not None:
        user, password = _user("unit_postal", group=roles.MEMBER_UNIT_STAFF, is_staff=True)
        _ensure_grant(staff, user, GrantKind.DEPARTMENT, department=postal)
        logins.append(
            Login(roles.MEMBER_UNIT_STAFF, user.username, password, f"member unit {postal.name}")
        )
    key = None
    meituan = Enterprise.objects.filter(
        name="美团", kind=EnterpriseKind.PLATFORM_HQ, region__code=CITY_CODE
    ).first()
    if meituan is not None:
        user, password = _user(
            "partner_meituan", group=roles.PARTNER_SYSTEM, is_staff=False, login=False
        )
        _ensure_grant(staff, user, GrantKind.PARTNER, platform=meituan)
        APIKey.objects.filter(user=user, name=API_KEY_NAME, revoked=False).update(revoked=True)
        _obj, key = APIKey.objects.create_key(name=API_KEY_NAME, user=user)
        logins.append(
            Login(
                roles.PARTNER_SYSTEM,
                user.username,
                password,
                f"partner {meituan.name} (API only; key below)",
            )
        )
    return logins, key


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_logins(logins: list[Login], api_key: str | None, *, port: int = 8000) -> str:
    """The login table, the API key and an example request on the served port."""
    header = Login("role", "username", "password", "scope")
    rows = [header, *logins]
    widths = [
        max(display_width(getattr(r, f)) for r in rows) for f in ("role", "username", "password")
    ]
    lines = []
    for r in rows:
        cells = [r.role, r.username, r.password]
        lines.append(
            "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True))
            + "  "
            + r.scope
        )
    lines.insert(1, "-" * (sum(widths) + 6 + max(display_width(r.scope) for r in rows)))
    lines += [
        "",
        "Passwords are new on every run of seed_demo; the database keeps only their hashes.",
    ]
    if api_key:
        lines += [
            "",
            f"Partner API key for partner_meituan (shown once, stored hashed): {api_key}",
            f'  curl -H "Authorization: Api-Key {api_key}" '
            f"http://127.0.0.1:{port}/api/v1/enterprises/",
        ]
    return "\n".join(lines)
