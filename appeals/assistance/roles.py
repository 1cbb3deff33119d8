"""Model permissions of the assistance funds for each role group (see organizations.roles).

Disbursements have no "change"/"delete" permission for anyone: they are immutable and are
cancelled through ``disbursement_cancel``, which needs ``add_disbursement``.
"""

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    VIEW,
)

ROLE_GRANTS_ASSISTANCE = [
    (
        DEPARTMENT_STAFF,
        "appeals",
        {"assistancefund": ALL, "fundinkinditem": ALL, "disbursement": ("view", "add")},
    ),
    (
        INDUSTRY_SECRETARY,
        "appeals",
        {"assistancefund": ALL, "fundinkinditem": ALL, "disbursement": ("view", "add")},
    ),
    (
        DISTRICT_OFFICER,
        "appeals",
        {"assistancefund": VIEW, "fundinkinditem": VIEW, "disbursement": VIEW},
    ),
]
