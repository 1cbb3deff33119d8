"""Model permissions of the whistles for each role group (see organizations.roles).

Assignments are moved by the workflow (report, resolve), which needs ``change_whistleassignment``;
which ones a user may move is decided by scope in the services. Events are only ever viewed."""

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    MEMBER_UNIT_STAFF,
    VIEW,
)

_WORK = {
    "whistle": ("view", "add", "change"),
    "whistleassignment": ("view", "change"),
    "whistleevent": VIEW,
}
ROLE_GRANTS_WHISTLES = [
    (
        DEPARTMENT_STAFF,
        "ecosystem",
        {"industrychain": ALL, "chainenterprise": ALL, "policy": ALL, **_WORK},
    ),
    (
        INDUSTRY_SECRETARY,
        "ecosystem",
        {"industrychain": VIEW, "chainenterprise": ALL, "policy": VIEW, **_WORK},
    ),
    (
        DISTRICT_OFFICER,
        "ecosystem",
        {
            "industrychain": VIEW,
            "chainenterprise": VIEW,
            "policy": VIEW,
            "whistle": VIEW,
            "whistleassignment": VIEW,
            "whistleevent": VIEW,
        },
    ),
    (
        MEMBER_UNIT_STAFF,
        "ecosystem",
        {
            "industrychain": VIEW,
            "policy": VIEW,
            "whistle": VIEW,
            **{"whistleassignment": ("view", "change"), "whistleevent": VIEW},
        },
    ),
]
