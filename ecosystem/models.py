"""The models of the ecosystem app: each feature keeps its own in its subpackage; importing them
here registers them under the one ``ecosystem`` label (one migrations folder)."""

from .jobfairs.models import *  # noqa: F403
from .massorgs.models import *  # noqa: F403
from .whistles.models import *  # noqa: F403
