"""The grid's settings, each with its default (override in ``portal/settings.py``)."""

from django.conf import settings

DEFAULTS = {
    # h3 resolution of task places and volunteers' cells (8 ≈ 0.74 km² a cell, edge ≈ 530 m).
    "GRID_H3_RESOLUTION": 8,
    # h3 resolution of task places (9 ≈ 0.1 km² a cell): finer, so that "tasks near me" in a
    # dense street reads few rows before it has the nearest ones.
    "GRID_TASK_H3_RESOLUTION": 9,
    # How many claims whose time windows overlap a volunteer may hold at once.
    "GRID_MAX_OVERLAPPING_CLAIMS": 1,
    # Claims in hand above which a volunteer is "overloaded" (not invited, cannot claim).
    "GRID_MAX_LOAD": 5,
    # A proof farther than this from the task's place is flagged for the verifier.
    "GRID_PROOF_MAX_DISTANCE_M": 500,
    # A proof this long before the start or after the end is flagged as outside the window.
    "GRID_PROOF_GRACE_MINUTES": 30,
    # Largest proof photo accepted, in bytes.
    "GRID_PROOF_PHOTO_MAX_BYTES": 5 * 1024 * 1024,
    # Points earned more than this many years before the expiry date expire (0: never).
    "GRID_POINTS_EXPIRY_YEARS": 1,
    # "Tasks near me": default and largest radius, in metres.
    "GRID_NEAR_RADIUS_M": 3000,
    "GRID_NEAR_MAX_RADIUS_M": 10000,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
