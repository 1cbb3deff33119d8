"""Model permissions of the members app for each role group (see organizations.roles)."""

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    PARTNER_SYSTEM,
    VIEW,
)

_PEOPLE = ("worker", "partymember", "transferletter")
_FINDS = ("matchproposal", "case")
_READ_ONLY = ("caseevent", "memberclaim")

ROLE_GRANTS = [
    (
        DEPARTMENT_STAFF,
        "members",
        {**{m: ALL for m in (*_PEOPLE, *_FINDS)}, **{m: VIEW for m in _READ_ONLY}},
    ),
    (
        INDUSTRY_SECRETARY,
        "members",
        {
            **{m: ALL for m in _PEOPLE},
            **{m: ("view", "change") for m in _FINDS},
            **{m: VIEW for m in _READ_ONLY},
        },
    ),
    (
        DISTRICT_OFFICER,
        "members",
        {
            "worker": ("view", "add", "change"),
            "partymember": VIEW,
            "transferletter": VIEW,
            **{m: ("view", "change") for m in _FINDS},
            **{m: VIEW for m in _READ_ONLY},
        },
    ),
    (PARTNER_SYSTEM, "members", {"worker": ("view", "add", "change"), "memberclaim": ("add",)}),
]
