"""The appeals models (a package: the assistance models, in ``appeals.assistance.models``, are
registered here too)."""

from ..assistance.models import *  # noqa: F403
from ..photos.models import AppealPhoto  # noqa: F401
from .appeal import *  # noqa: F403
from .catalogues import *  # noqa: F403
from .hotspots import *  # noqa: F403
from .inbox import *  # noqa: F403
