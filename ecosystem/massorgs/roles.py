"""Model permissions of the mass organizations for each role group (see organizations.roles)."""

from organizations.roles import ALL, DEPARTMENT_STAFF, DISTRICT_OFFICER, INDUSTRY_SECRETARY

_MODELS = ("massorganization", "serviceproject", "mediationcase")
ROLE_GRANTS_MASSORGS = [
    (DEPARTMENT_STAFF, "ecosystem", {m: ALL for m in _MODELS}),
    (INDUSTRY_SECRETARY, "ecosystem", {m: ALL for m in _MODELS}),
    (DISTRICT_OFFICER, "ecosystem", {m: ALL for m in _MODELS}),
]
