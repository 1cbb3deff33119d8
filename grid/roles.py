"""Model permissions of the grid for each role group (see organizations.roles).

Ledger entries, events, claims and redemptions are written by the services only: nobody has
"change"/"delete" on them.
"""

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    PARTNER_SYSTEM,
    VIEW,
)

_STAFF = {
    "volunteer": ("view", "add", "change"),
    "volunteercell": VIEW,
    "task": ALL,
    "claim": ("view", "add", "change"),
    "taskevent": VIEW,
    "proofphoto": VIEW,
    "pointsaccount": VIEW,
    "pointsentry": ("view", "add"),
    "rewarditem": ALL,
    "redemption": ("view", "add"),
    "campaign": ("view", "add", "change"),
}

ROLE_GRANTS = [
    (DEPARTMENT_STAFF, "grid", _STAFF),
    (INDUSTRY_SECRETARY, "grid", _STAFF),
    (DISTRICT_OFFICER, "grid", _STAFF),
    (
        PARTNER_SYSTEM,
        "grid",
        {
            "volunteer": ("view", "add", "change"),
            "task": VIEW,
            "claim": ("view", "add", "change"),
            "pointsaccount": VIEW,
            "pointsentry": VIEW,
            "rewarditem": VIEW,
        },
    ),
]
