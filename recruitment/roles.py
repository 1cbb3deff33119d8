"""Model permissions of the membership pipeline for each role group (see organizations.roles).

Candidates are entered and moved by the organization department and the industry committees'
secretaries; district staff read them; partner systems do not see the pipeline."""

from organizations.roles import ALL, DEPARTMENT_STAFF, DISTRICT_OFFICER, INDUSTRY_SECRETARY, VIEW

_WORK = {"candidate": ALL, "step": ("view", "add")}

ROLE_GRANTS = [
    (DEPARTMENT_STAFF, "recruitment", _WORK),
    (INDUSTRY_SECRETARY, "recruitment", _WORK),
    (DISTRICT_OFFICER, "recruitment", {"candidate": VIEW, "step": VIEW}),
]
