"""Model permissions of organization life for each role group (see organizations.roles).

Secretaries and the organization department keep meetings, evaluations, dues and elections;
district staff read them; a partner app (a party-building app's service account, which also
needs an organization grant to see members) reads meetings, checks members in and pushes dues
payments."""

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    PARTNER_SYSTEM,
    VIEW,
)

_MODELS = (
    "meeting",
    "meetingphoto",
    "participation",
    "evaluation",
    "duesdeclaration",
    "duespayment",
    "duesmonth",
    "dueshandover",
    "election",
)

ROLE_GRANTS = [
    (DEPARTMENT_STAFF, "branchlife", {m: ALL for m in _MODELS}),
    (INDUSTRY_SECRETARY, "branchlife", {m: ALL for m in _MODELS}),
    (DISTRICT_OFFICER, "branchlife", {m: VIEW for m in _MODELS}),
    (
        PARTNER_SYSTEM,
        "branchlife",
        {
            "meeting": VIEW,
            "participation": ("view", "add"),
            "duespayment": ("view", "add"),
            "duesmonth": VIEW,
        },
    ),
]
