"""Model permissions of the coverage app for each role group (see organizations.roles).

Everyone on staff reads the snapshots of their scope; department staff may also recompute them.
"""

from organizations.roles import DEPARTMENT_STAFF, DISTRICT_OFFICER, INDUSTRY_SECRETARY

ROLE_GRANTS = [
    (DEPARTMENT_STAFF, "coverage", {"coveragesnapshot": ("view", "recompute")}),
    (INDUSTRY_SECRETARY, "coverage", {"coveragesnapshot": ("view",)}),
    (DISTRICT_OFFICER, "coverage", {"coveragesnapshot": ("view",)}),
]
