"""Model permissions of the ecosystem app: each feature lists its own grants."""

from .jobfairs.roles import ROLE_GRANTS_JOBFAIRS
from .massorgs.roles import ROLE_GRANTS_MASSORGS
from .whistles.roles import ROLE_GRANTS_WHISTLES

ROLE_GRANTS = [*ROLE_GRANTS_WHISTLES, *ROLE_GRANTS_JOBFAIRS, *ROLE_GRANTS_MASSORGS]
