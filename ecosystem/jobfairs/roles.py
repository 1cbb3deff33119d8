"""Model permissions of the job fairs for each role group (see organizations.roles)."""

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    PARTNER_SYSTEM,
    VIEW,
)

_ALL = {m: ALL for m in ("jobfair", "employer", "fairparticipation", "position")}
ROLE_GRANTS_JOBFAIRS = [
    (DEPARTMENT_STAFF, "ecosystem", {**_ALL, "jobapplication": ("view", "add", "change")}),
    (INDUSTRY_SECRETARY, "ecosystem", {**_ALL, "jobapplication": ("view", "add", "change")}),
    (
        DISTRICT_OFFICER,
        "ecosystem",
        {**{m: VIEW for m in _ALL}, "jobapplication": ("view", "add", "change")},
    ),
    # Partner apps: read open positions, apply on a worker's behalf, follow the application.
    (
        PARTNER_SYSTEM,
        "ecosystem",
        {"jobfair": VIEW, "employer": VIEW, "position": VIEW, "jobapplication": ("view", "add")},
    ),
]
