"""Writes of the appeals app (``<entity>_<verb>(*, actor, ...)``)."""

from .appeals import *  # noqa: F403
from .appeals import (  # noqa: F401  (private helpers some faces and tests use)
    TRANSITIONS,
    USER_ACTIONS,
    allowed_actions,
    level_of_organization,
    organization_above,
)
