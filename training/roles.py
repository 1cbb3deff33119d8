"""Model permissions of the training app for each role group (see organizations.roles).

The catalogue (lecturers, courses, education sites, resource packs and items) is read by every
role and changed by city-wide staff only (the services refuse anyone else)."""

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    PARTNER_SYSTEM,
    VIEW,
)

_CATALOGUE = ("lecturer", "course", "educationsite", "resourcepack", "learningresource")
_WORK = (
    "trainingclass",
    "session",
    "enrollment",
    "partylesson",
    "outreachevent",
    "pioneerdesignation",
)
_LOCAL = {
    **{m: VIEW for m in _CATALOGUE},
    **{m: ALL for m in _WORK},
    "attendance": ("view", "add", "delete"),
    "resourceprogress": VIEW,
}

ROLE_GRANTS = [
    (
        DEPARTMENT_STAFF,
        "training",
        {
            **{m: ALL for m in (*_CATALOGUE, *_WORK)},
            "attendance": ("view", "add", "delete"),
            "resourceprogress": ("view", "add"),
        },
    ),
    (INDUSTRY_SECRETARY, "training", _LOCAL),
    (DISTRICT_OFFICER, "training", _LOCAL),
    # Rider apps: the catalogue, enrolling their riders, session check-ins and online learning
    # (they read back what they submitted, no more).
    (
        PARTNER_SYSTEM,
        "training",
        {
            **{m: VIEW for m in _CATALOGUE},
            "enrollment": ("view", "add"),
            "attendance": ("view", "add"),
            "resourceprogress": ("view", "add"),
        },
    ),
]
