"""Model permissions of the stations app for each role group (see organizations.roles)."""

from organizations.roles import (
    ALL,
    DEPARTMENT_STAFF,
    DISTRICT_OFFICER,
    INDUSTRY_SECRETARY,
    PARTNER_SYSTEM,
    VIEW,
)

_STATIONS = ("station", "openinghours", "stationfacility", "medicinecabinet", "cabinetstock")
_RECORDS = ("restock", "checkin")
_CIRCLE = ("servicecirclesnapshot", "hotspotcell", "suggestedsite")

ROLE_GRANTS = [
    (
        DEPARTMENT_STAFF,
        "stations",
        {
            "facility": ALL,
            **{m: ALL for m in _STATIONS},
            **{m: ("view", "add") for m in _RECORDS},
            **{m: VIEW for m in _CIRCLE},
        },
    ),
    (
        INDUSTRY_SECRETARY,
        "stations",
        {
            "facility": VIEW,
            **{m: ALL for m in _STATIONS},
            **{m: ("view", "add") for m in _RECORDS},
            **{m: VIEW for m in _CIRCLE},
        },
    ),
    (
        DISTRICT_OFFICER,
        "stations",
        {
            "facility": VIEW,
            **{m: ALL for m in _STATIONS},
            **{m: ("view", "add") for m in _RECORDS},
            **{m: VIEW for m in _CIRCLE},
        },
    ),
    # Rider apps: the nearby directory and check-ins (the check-ins they sent, no more).
    (PARTNER_SYSTEM, "stations", {"facility": VIEW, "station": VIEW, "checkin": ("view", "add")}),
]
