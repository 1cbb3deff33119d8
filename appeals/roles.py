"""Model permissions of the appeals app for each role group (see organizations.roles).

The workflow (dispatch, sign, reply, ...) needs ``change_appeal``; which appeals a user may
move is decided by scope in the services. Events are only ever viewed: nobody may change or
delete them, so no group gets those permissions.
"""

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    PARTNER_SYSTEM,
    VIEW,
)

from .assistance.roles import ROLE_GRANTS_ASSISTANCE

_CATALOGUES = ("category", "policymeasure", "slapolicy", "holiday", "holidayyear")
_WORK = {
    "appeal": ("view", "add", "change"),
    "appealevent": VIEW,
    "inboxmessage": ("view", "change"),
    "hotspotalert": ("view", "change"),
}

_APPEAL_GRANTS = [
    (DEPARTMENT_STAFF, "appeals", {**{m: ALL for m in _CATALOGUES}, **_WORK}),
    (INDUSTRY_SECRETARY, "appeals", {**{m: VIEW for m in _CATALOGUES}, **_WORK}),
    # District and street staff, station hosts among them: file and follow appeals.
    (DISTRICT_OFFICER, "appeals", {**{m: VIEW for m in _CATALOGUES}, **_WORK}),
    # Partner systems (platforms, the 12345 hotline): submit appeals and follow their own.
    (
        PARTNER_SYSTEM,
        "appeals",
        {
            "category": VIEW,
            "policymeasure": VIEW,
            "appeal": ("view", "add"),
            "appealevent": VIEW,
        },
    ),
]

#: The assistance funds' grants live beside their feature; together they are the app's.
ROLE_GRANTS = [*_APPEAL_GRANTS, *ROLE_GRANTS_ASSISTANCE]
