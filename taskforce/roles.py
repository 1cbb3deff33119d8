"""Model permissions of the task force app for each role group (see organizations.roles).

The task force office (organization-department staff) keeps everything; a member unit's staff
read what is assigned to their unit and add progress reports and quarterly indicator reports
(the services check the unit); other staff read what their scope shows (usually nothing)."""

from organizations.roles import ALL, DEPARTMENT_STAFF, MEMBER_UNIT_STAFF, VIEW

_MODELS = (
    "taskforce",
    "memberunit",
    "unitcontact",
    "meeting",
    "meetingdocument",
    "decision",
    "task",
    "taskreport",
    "measure",
    "indicator",
    "indicatorreport",
    "campaign",
    "researchgroup",
    "cadre",
    "visit",
    "interview",
    "demand",
    "researchoutput",
)

ROLE_GRANTS = [
    (DEPARTMENT_STAFF, "taskforce", {m: ALL for m in _MODELS}),
    (
        MEMBER_UNIT_STAFF,
        "taskforce",
        {
            **{m: VIEW for m in _MODELS},
            "taskreport": ("view", "add"),
            "indicatorreport": ("view", "add", "change"),
        },
    ),
]
