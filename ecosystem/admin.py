"""The admin classes of the ecosystem app register in their features' modules."""

from .jobfairs.admin import *  # noqa: F403
from .massorgs.admin import *  # noqa: F403
from .whistles.admin import *  # noqa: F403
